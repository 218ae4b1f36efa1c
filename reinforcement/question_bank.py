"""Starter review questions for the built-in skills, used by the demo (the lead edits them).

Each entry: (prompt, options, index of the right option, explanation).
"""

STARTER_QUESTIONS = {
    "Calling high": [
        (
            "A VP agrees to 15 minutes. What should the first two minutes be about?",
            [
                "Your company's history",
                "A business outcome you have seen peers reach",
                "A product demo",
                "Pricing",
            ],
            1,
            "Senior buyers give time to outcomes that matter to them; context about you can wait.",
        ),
        (
            "Your champion says the CFO 'never takes vendor meetings'. What is the best next move?",
            [
                "Email the CFO anyway with a brochure",
                "Drop the CFO from the plan",
                "Ask the champion what the CFO is measured on and build the case with them",
                "Ask for a discount to get attention",
            ],
            2,
            "Working through the champion on the CFO's own measures earns the meeting instead of forcing it.",
        ),
        (
            "Which opening line is most likely to hold an executive's attention?",
            [
                "'I'd love to tell you about our platform.'",
                "'Peers of yours cut onboarding time by a third last year; is that a priority?'",
                "'Do you have a minute?'",
                "'We are the market leader.'",
            ],
            1,
            "A specific result from peers, asked as a question, invites the executive to share priorities.",
        ),
        (
            "After a good executive meeting, what should you send the same day?",
            [
                "A summary of their priorities, what you agreed and the next step with a date",
                "The full product catalogue",
                "A contract",
                "Nothing, to avoid seeming pushy",
            ],
            0,
            "A crisp recap shows you listened and keeps the agreed next step moving.",
        ),
        (
            "Why call high early in a complex deal?",
            [
                "To skip the buying committee",
                "Because executives always sign faster",
                "To learn the priorities and budget that shape the whole deal before it is framed for you",
                "To avoid talking to users",
            ],
            2,
            "Early access lets you shape the problem definition; late access means competing on a spec.",
        ),
    ],
    "Solution selling": [
        (
            "A buyer asks for a feature list. What is the strongest response?",
            [
                "Send the full list at once",
                "Ask which problem the list is meant to solve and what it costs them today",
                "Say all features are included",
                "Offer a free trial",
            ],
            1,
            "Tying the talk to the problem and its cost keeps you out of a feature-by-feature contest.",
        ),
        (
            "What makes a business case convincing to a buyer's finance team?",
            [
                "Your list price",
                "Industry averages only",
                "Their own numbers: the current cost of the problem and the value of fixing it",
                "Customer logos",
            ],
            2,
            "Finance trusts figures they recognise; build the case from the buyer's own data.",
        ),
        (
            "The buyer agrees they have the problem but not that it is urgent. What do you explore next?",
            [
                "What happens if nothing changes in the next six months",
                "A bigger discount",
                "A different product",
                "The buyer's org chart only",
            ],
            0,
            "Urgency comes from the cost of inaction, made concrete by the buyer.",
        ),
        (
            "When should you present your solution in a discovery-led sale?",
            [
                "In the first call",
                "After the buyer has confirmed the problem, its impact and what a good outcome looks like",
                "Only after procurement asks",
                "Never; let the buyer find it",
            ],
            1,
            "A solution lands when it answers a problem the buyer has already put into words.",
        ),
        (
            "Which question best uncovers the impact of a problem?",
            [
                "'Do you like your current tool?'",
                "'How much budget do you have?'",
                "'When this goes wrong, what does it cost you in time, money or customers?'",
                "'Who else are you talking to?'",
            ],
            2,
            "Impact questions turn a complaint into a measurable reason to act.",
        ),
    ],
    "Account planning": [
        (
            "What belongs at the heart of an account plan?",
            [
                "Your quota for the account",
                "The customer's goals and where your offer can help reach them",
                "A list of past invoices",
                "Competitor pricing",
            ],
            1,
            "Plans built on the customer's goals find growth the customer actually wants.",
        ),
        (
            "You only know two people in a key account. What should the plan address first?",
            [
                "Relationship coverage: who decides, influences and uses, and how you will reach them",
                "A product roadmap",
                "Discount levels",
                "Marketing events",
            ],
            0,
            "Single-threaded accounts are fragile; widening relationships protects and grows them.",
        ),
        (
            "What is 'whitespace' in an account?",
            [
                "Unused slide space",
                "Business units or needs where the customer does not yet buy from you",
                "Time between meetings",
                "Expired contracts",
            ],
            1,
            "Whitespace shows where the next opportunities are, given the customer's structure and needs.",
        ),
        (
            "How often should a strategic account plan be reviewed?",
            [
                "Once, when written",
                "Only at renewal",
                "Regularly (e.g. quarterly) with the team, and when the customer's situation changes",
                "Never; it is a formality",
            ],
            2,
            "A plan is a working tool; it has to follow the account as it changes.",
        ),
        (
            "Which action best tests an account plan with the customer?",
            [
                "Share the plan's view of their priorities and ask what you have wrong",
                "Keep the plan secret",
                "Email the plan to procurement",
                "Present your product roadmap",
            ],
            0,
            "Checking your view of their priorities with the customer builds trust and corrects blind spots.",
        ),
    ],
    "Qualifying": [
        (
            "Which sign best shows an opportunity is worth more of your time?",
            [
                "The contact is friendly",
                "A confirmed problem with a cost, a budget path and a decision process",
                "They downloaded a whitepaper",
                "They asked for a price",
            ],
            1,
            "Pain, money and a path to a decision separate real deals from interest.",
        ),
        (
            "The buyer will not say who signs. What should you do?",
            [
                "Assume your contact signs",
                "Ask how similar purchases were approved recently",
                "Move to contract",
                "Stop calling",
            ],
            1,
            "Asking about past purchases reveals the real process without putting the buyer on the spot.",
        ),
        (
            "When is walking away from a deal the right call?",
            [
                "Never",
                "When there is no problem you solve, no budget path and no access to the decision",
                "When the buyer asks hard questions",
                "When the deal is small",
            ],
            1,
            "Time spent on deals that cannot close is taken from deals that can.",
        ),
        (
            "What is the main risk of qualifying too late?",
            [
                "Forecasts full of deals that were never going to close",
                "Too many meetings with executives",
                "Lower list prices",
                "Shorter sales cycles",
            ],
            0,
            "Late qualification inflates the pipeline and wastes effort on the wrong deals.",
        ),
        (
            "Which question tests the timeline honestly?",
            [
                "'Can you sign this month?'",
                "'What happens on your side if this is not solved by the date you mentioned?'",
                "'Is budget approved?'",
                "'Do you like the proposal?'",
            ],
            1,
            "A timeline is real when something on the buyer's side depends on it.",
        ),
    ],
    "Pipeline management": [
        (
            "What should every open opportunity have?",
            ["A discount", "A dated next step agreed with the buyer", "A slide deck", "A competitor named"],
            1,
            "A dated, agreed next step is the simplest sign that a deal is moving.",
        ),
        (
            "An opportunity has not moved in 60 days. What is the best action?",
            [
                "Leave it; it might close",
                "Re-qualify it with the buyer, and close it out if nothing is real",
                "Push the close date by a month",
                "Raise the amount",
            ],
            1,
            "Stale deals hide the true pipeline; re-qualify or remove them.",
        ),
        (
            "What makes a forecast credible?",
            [
                "Optimism",
                "Stages tied to buyer actions, not to seller activity",
                "Many deals in the last week of the quarter",
                "Large amounts",
            ],
            1,
            "Stages defined by what the buyer has done predict outcomes far better than seller effort.",
        ),
        (
            "How much pipeline coverage is useful to aim for?",
            [
                "Exactly quota",
                "Enough, given your win rate, to reach quota with room for slips",
                "As much as possible regardless of quality",
                "None; focus on one deal",
            ],
            1,
            "Coverage depends on your win rate; quality matters as much as volume.",
        ),
        (
            "Which habit keeps a pipeline honest week to week?",
            [
                "Updating it only before reviews",
                "A short weekly review of next steps, dates and stage evidence",
                "Copying last week's numbers",
                "Letting the manager update it",
            ],
            1,
            "A regular, brief review keeps data current and surfaces stuck deals early.",
        ),
    ],
}
