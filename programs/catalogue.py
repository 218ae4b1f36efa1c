"""The built-in metric and skill catalogues (data; leads can add more through the catalogue page)."""

# name -> (description, default unit, default direction)
BUILTIN_METRICS = {
    "Revenue": ("Bookings or recognised revenue from the audience's accounts.", "USD k", "up"),
    "Margin": ("Gross margin on the deals the audience closes.", "%", "up"),
    "Win rate": ("Share of qualified opportunities that close won.", "%", "up"),
    "Portfolio mix": ("Share of revenue from the products or services the strategy favours.", "%", "up"),
    "Deal size": ("Average value of a closed-won deal.", "USD k", "up"),
    "Sales-cycle length": ("Days from a qualified opportunity to signature.", "days", "down"),
}

BUILTIN_SKILLS = {
    "Calling high": "Reaching and holding the attention of senior decision makers.",
    "Qualifying": "Telling early which opportunities deserve time, and walking away from the rest.",
    "Prospecting": "Opening new conversations with accounts that fit the ideal customer profile.",
    "Solution selling": "Tying the offer to the buyer's problem and its cost, not to features.",
    "Business acumen": "Reading a customer's business the way its executives do.",
    "Presenting": "Making a clear, persuasive case to a group of buyers.",
    "Pipeline management": "Keeping an honest, moving pipeline with next steps on every deal.",
    "Account planning": "Mapping an account's people, needs and whitespace into a plan.",
    "Negotiating": "Trading value for value and protecting price and margin.",
}
