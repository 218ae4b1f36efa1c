"""Starter role-play scenarios for the built-in skills, written for this product.

Loaded by `scenarios_load_starter()` (the data migration and `manage.py load_starter_scenarios`);
leads edit or retire them like any other scenario. Each rubric criterion lists what a score of
1, 2, 3, 4 and 5 means.
"""


def _c(criterion, *levels):
    assert len(levels) == 5
    return {"criterion": criterion, "levels": list(levels)}


STARTER_SCENARIOS = {
    "Calling high": {
        "title": "Ten minutes with the operations VP",
        "situation": (
            "Your contact, a logistics manager at a regional grocery chain, has arranged ten minutes "
            "with the VP of Operations between two meetings. The VP has not asked for this call and "
            "has never heard of your company."
        ),
        "buyer_role": "VP of Operations, regional grocery chain",
        "objections": (
            "I have five minutes, not ten. What is this about?\n"
            "My team already handles vendors; talk to them.\n"
            "We are not buying anything this year."
        ),
        "what_good_looks_like": (
            "Opens with a business result peers have reached, in the VP's terms (waste, on-shelf "
            "availability, labour hours), asks what is on the VP's list this year, and leaves with a "
            "clear, small next step the VP agrees to."
        ),
        "rubric": [
            _c(
                "Opening in the executive's terms",
                "Starts with the company or the product.",
                "Mentions a benefit, but generic.",
                "Names a relevant business outcome.",
                "Names an outcome with a peer result and a number.",
                "Outcome, proof and a question about the VP's priorities, inside thirty seconds.",
            ),
            _c(
                "Handling the brush-off",
                "Gives up or argues.",
                "Repeats the pitch louder.",
                "Acknowledges and asks one question.",
                "Acknowledges, reframes around the VP's goal and keeps the conversation.",
                "Turns the brush-off into the VP naming a priority in their own words.",
            ),
            _c(
                "Next step",
                "No next step.",
                "A vague 'let's stay in touch'.",
                "A next step with a date.",
                "A next step with a date and who else should join.",
                "A next step the VP proposes, tied to a priority they named.",
            ),
        ],
    },
    "Qualifying": {
        "title": "The enthusiastic first meeting",
        "situation": (
            "A mid-sized software company replied to your campaign. The IT lead on the call loves your "
            "demo and wants a proposal by Friday. You do not yet know who decides, what budget exists "
            "or why this matters now."
        ),
        "buyer_role": "IT lead, mid-sized software company",
        "objections": (
            "Just send me a price; I'll handle the rest internally.\n"
            "Budget is not your concern.\n"
            "We are also looking at two other vendors."
        ),
        "what_good_looks_like": (
            "Keeps the buyer's energy while finding out the problem and its cost, who signs, how they "
            "decide and by when, and is willing to slow the proposal down until those are known."
        ),
        "rubric": [
            _c(
                "Problem and its cost",
                "Does not ask why they are looking.",
                "Asks why, accepts the first answer.",
                "Uncovers the problem.",
                "Uncovers the problem and what it costs the business.",
                "Buyer states the cost of doing nothing in their own numbers.",
            ),
            _c(
                "Decision process",
                "Never asks who decides.",
                "Asks, accepts 'me'.",
                "Learns who signs.",
                "Learns who signs, the steps and the date.",
                "Maps the people, steps and date, and checks them with the buyer.",
            ),
            _c(
                "Willingness to walk away",
                "Promises the proposal regardless.",
                "Hesitates but agrees to everything.",
                "Asks for one condition before proposing.",
                "Trades the proposal for access to the decision maker.",
                "Says plainly what must be true for a proposal to help, and agrees it with the buyer.",
            ),
        ],
    },
    "Prospecting": {
        "title": "A cold call that gets picked up",
        "situation": (
            "You call the head of customer service at a fast-growing insurance broker you have "
            "researched: they just opened a second call centre. To your surprise, they answer."
        ),
        "buyer_role": "Head of customer service, insurance broker",
        "objections": ("How did you get my number?\nSend me an e-mail.\nWe're happy with what we have."),
        "what_good_looks_like": (
            "States who you are and why you are calling this person now, in one or two sentences built "
            "on the research; asks permission for one question; earns a short meeting."
        ),
        "rubric": [
            _c(
                "Reason for the call",
                "No reason given.",
                "A generic reason that fits any company.",
                "A reason that fits their industry.",
                "A reason built on a fact about them.",
                "A fact about them linked to a result peers have reached, in one sentence.",
            ),
            _c(
                "Handling 'send me an e-mail'",
                "Agrees and hangs up.",
                "Agrees and promises to call back.",
                "Asks what the e-mail should cover.",
                "Asks a question that makes the e-mail relevant, and books a time.",
                "Gets the buyer talking about their priority and books a meeting instead.",
            ),
            _c(
                "Tone and brevity",
                "Reads a script; talks over the buyer.",
                "Long monologue.",
                "Clear, but rushed.",
                "Calm, brief, leaves room for the buyer.",
                "Sounds like a peer with a useful idea.",
            ),
        ],
    },
    "Solution selling": {
        "title": "Feature questions from a busy buyer",
        "situation": (
            "A manufacturing plant manager has a shortlist and a spreadsheet of features. They want to "
            "go through it line by line. You know from discovery that unplanned downtime cost them two "
            "shipments last quarter."
        ),
        "buyer_role": "Plant manager, industrial manufacturer",
        "objections": (
            "Does it have predictive alerts or not?\n"
            "The other vendor ticks more boxes.\n"
            "I don't need a story, I need answers."
        ),
        "what_good_looks_like": (
            "Answers the feature questions honestly and briefly, then links the ones that matter to the "
            "downtime problem and its cost, so the comparison moves from boxes to outcomes."
        ),
        "rubric": [
            _c(
                "Linking to the buyer's problem",
                "Talks features only.",
                "Mentions the problem once, in passing.",
                "Links a feature to the problem.",
                "Links the key features to the problem and its cost.",
                "The buyer re-ranks the spreadsheet around the downtime problem.",
            ),
            _c(
                "Honesty about gaps",
                "Claims everything.",
                "Dodges the gap.",
                "Admits the gap.",
                "Admits the gap and says why it matters less for them.",
                "Admits the gap and shows a better path to their outcome.",
            ),
            _c(
                "Respecting the buyer's time",
                "Long pitch ignoring the request.",
                "Answers, then a long pitch.",
                "Short answers.",
                "Short answers with one well-chosen question.",
                "Short answers and a question that changes how the buyer compares.",
            ),
        ],
    },
    "Business acumen": {
        "title": "The annual report conversation",
        "situation": (
            "The finance director of a listed hotel group agreed to a meeting. Their annual report "
            "shows falling occupancy in city hotels and rising staff costs."
        ),
        "buyer_role": "Finance director, listed hotel group",
        "objections": (
            "You don't understand our business.\n"
            "Every vendor says they save money.\n"
            "That's an operations question, not mine."
        ),
        "what_good_looks_like": (
            "Uses the figures in the report to talk about the director's priorities, asks how they "
            "measure success, and ties the offer to one line of the income statement."
        ),
        "rubric": [
            _c(
                "Use of the buyer's numbers",
                "No numbers.",
                "Generic industry numbers.",
                "One figure from their report.",
                "Their figures linked to a priority.",
                "Their figures linked to a priority and to how the director is measured.",
            ),
            _c(
                "Financial language",
                "Talks product only.",
                "Vague 'savings'.",
                "Names cost or revenue impact.",
                "Names the line of the income statement and the size of the effect.",
                "Frames the impact as the director would present it to the board.",
            ),
            _c(
                "Questions",
                "None.",
                "Closed questions only.",
                "One open question about priorities.",
                "Open questions that uncover how success is measured.",
                "Questions that make the director think about the problem differently.",
            ),
        ],
    },
    "Presenting": {
        "title": "Five slides for the buying committee",
        "situation": (
            "You have fifteen minutes in front of a buying committee of four: finance, IT, operations "
            "and the sponsor. Each cares about something different, and finance joined late."
        ),
        "buyer_role": "Buying committee (finance, IT, operations, sponsor)",
        "objections": (
            "Can you skip to the price?\n"
            "How does this fit our security rules?\n"
            "We've seen this before; what's different?"
        ),
        "what_good_looks_like": (
            "Opens with the problem the committee agreed on, gives each member what they need in their "
            "terms, handles interruptions without losing the thread, and ends with a clear decision to "
            "make."
        ),
        "rubric": [
            _c(
                "Structure",
                "No clear thread.",
                "A thread, lost after the first question.",
                "Clear beginning, middle and end.",
                "Clear thread anchored on the agreed problem.",
                "Clear thread that every committee member could repeat.",
            ),
            _c(
                "Speaking to each member",
                "One message for all.",
                "Acknowledges roles but not needs.",
                "Addresses two members' needs.",
                "Addresses every member's need.",
                "Gets each member to confirm their need is met.",
            ),
            _c(
                "Close",
                "Ends with 'any questions?'.",
                "Asks for feedback.",
                "Proposes a next step.",
                "Asks for a decision on a next step with a date.",
                "The committee agrees a decision and who owns it.",
            ),
        ],
    },
    "Pipeline management": {
        "title": "The stalled deal in the forecast",
        "situation": (
            "In your weekly review, your manager points at a deal that has sat in 'proposal' for seven "
            "weeks at 60%. The champion stopped answering e-mails three weeks ago."
        ),
        "buyer_role": "Your sales manager, in the weekly pipeline review",
        "objections": (
            "Why is this still at 60%?\n"
            "What has the buyer actually done since the proposal?\n"
            "Will it close this quarter or not?"
        ),
        "what_good_looks_like": (
            "Gives an honest account of what the buyer has and has not done, moves the deal to the stage "
            "the evidence supports, and proposes a concrete plan to re-engage or remove it."
        ),
        "rubric": [
            _c(
                "Honesty about the evidence",
                "Defends the number with hope.",
                "Admits silence but keeps the stage.",
                "States what the buyer has done.",
                "States what the buyer has done and re-stages the deal.",
                "Re-stages by buyer actions and explains what would move it back up.",
            ),
            _c(
                "Re-engagement plan",
                "None.",
                "'I'll follow up.'",
                "A specific message to the champion.",
                "A plan through another contact with a date.",
                "A plan with a deadline to decide: re-engage or close it out.",
            ),
            _c(
                "Forecast call",
                "No call.",
                "A call without reasons.",
                "A call with one reason.",
                "A call tied to dated buyer actions.",
                "A call the manager can defend upwards without questions.",
            ),
        ],
    },
    "Account planning": {
        "title": "Planning the year for a key account",
        "situation": (
            "Your largest account, a national logistics firm, renews in nine months. You know the IT "
            "sponsor well but no one in finance or the new digital team."
        ),
        "buyer_role": "Your sales manager, reviewing the account plan with you",
        "objections": (
            "Who else do you know there?\n"
            "Where is the growth beyond the renewal?\n"
            "What happens if your sponsor leaves?"
        ),
        "what_good_looks_like": (
            "Maps the people and their priorities, names the whitespace with a reason the customer "
            "would care, and sets a few dated actions that widen and deepen the relationship."
        ),
        "rubric": [
            _c(
                "Relationship map",
                "Only the sponsor.",
                "Names others without roles.",
                "Names the key people and roles.",
                "Names people, roles and what each cares about.",
                "Clear plan to reach the gaps, with who will introduce whom.",
            ),
            _c(
                "Whitespace",
                "None identified.",
                "A product list.",
                "One opportunity with a reason.",
                "Opportunities ranked by customer value.",
                "Opportunities tied to the customer's own strategy and timing.",
            ),
            _c(
                "Actions",
                "No actions.",
                "Actions without dates.",
                "Dated actions.",
                "Dated actions with owners.",
                "Dated actions with owners and a way to know they worked.",
            ),
        ],
    },
    "Negotiating": {
        "title": "The last-minute discount request",
        "situation": (
            "The deal is agreed in principle. On the final call, procurement asks for 15% off or they "
            "will 'have to go back to the other vendor'. Your sponsor is not on the call."
        ),
        "buyer_role": "Procurement manager",
        "objections": (
            "15% or we walk.\nThe other vendor is cheaper.\nThis is standard for all our suppliers."
        ),
        "what_good_looks_like": (
            "Stays calm, tests whether the threat is real, trades any concession for something of value "
            "(term, volume, payment, references) and protects the agreed value."
        ),
        "rubric": [
            _c(
                "Composure",
                "Concedes at once.",
                "Visibly rattled, concedes most.",
                "Calm, asks for time.",
                "Calm, asks questions to test the request.",
                "Calm, and reframes the talk around the agreed value.",
            ),
            _c(
                "Trading, not giving",
                "Gives the discount.",
                "Gives part of it for nothing.",
                "Asks for something in return.",
                "Trades a smaller concession for clear value.",
                "Trades only for value that also helps the customer's case.",
            ),
            _c(
                "Bringing the sponsor back",
                "Ignores the sponsor.",
                "Mentions the sponsor.",
                "Plans to inform the sponsor.",
                "Brings the sponsor into the decision before agreeing.",
                "The sponsor defends the value internally.",
            ),
        ],
    },
}
