"""A manager's reinforcement kit for one skill, assembled from the program's own material.

Pure: no Django. `kit_build` takes what the program says about the skill (why it matters, the
metrics it moves, the retrieval questions written for it, the strengths and limiters found in
the skill-gap analysis) and returns the kit a manager runs a 30-minute team session from.
"""

from dataclasses import dataclass, field

DISCUSSION_COUNT = 3
RUBRIC_LOOK_FOR = (
    "The core steps show up without prompting (rubric 3).",
    "The seller adapts them to this buyer instead of reciting them (rubric 4).",
)


@dataclass(frozen=True)
class KitInput:
    program: str
    skill: str
    purpose: str = ""
    metrics: tuple = ()  # (metric name, "baseline → target unit") pairs
    questions: tuple = ()  # prompts of the program's retrieval questions on this skill
    strengths: tuple = ()
    limiters: tuple = ()
    segment: str = ""


@dataclass(frozen=True)
class RolePlay:
    setup: str
    seller_brief: str
    buyer_brief: str


@dataclass(frozen=True)
class Kit:
    program: str
    skill: str
    purpose: str
    metrics: tuple
    discussion: tuple
    usage_prompts: tuple
    role_play: RolePlay
    look_for: tuple
    sources: dict = field(default_factory=dict)


def _sentence(text):
    text = " ".join(text.split())
    return text if not text or text[-1] in ".?!" else text + "."


def kit_build(data: KitInput) -> Kit:
    """The kit for one skill. Rules:

    - purpose: the program's "why it matters" for the skill, else a line naming the metrics;
    - discussion: up to three of the program's retrieval questions, turned into open questions
      for the team, topped up with general ones about the skill;
    - two "how have you used this since the training?" prompts;
    - one role play built on the audience's weakest point (first limiter), if one is known;
    - what to look for: the coaching rubric's competent and strong levels, the limiters to see
      less of and the strengths to keep.
    """
    skill = data.skill
    metric_names = [name for name, _ in data.metrics]
    purpose = _sentence(data.purpose) if data.purpose.strip() else ""
    if not purpose:
        moves = " and ".join(metric_names) if metric_names else "the program's success metrics"
        purpose = f"{skill} is one of the few skills this program relies on to move {moves}."

    discussion = [
        f"Someone explain it to the team in their own words: {_sentence(prompt)} "
        "Why does it matter with our buyers?"
        for prompt in data.questions[:DISCUSSION_COUNT]
    ]
    general = (
        f"In which of your open deals would better {skill.lower()} change the outcome, and how?",
        f"What gets in the way of {skill.lower()} when a call is short or the buyer is in a hurry?",
        f"What would a buyer notice first if the whole team got better at {skill.lower()}?",
    )
    discussion += list(general[: DISCUSSION_COUNT - len(discussion)])

    usage = (
        f"Since the training, when did you use {skill.lower()} with a real buyer? "
        "What did you say, and what happened next?",
        f"Where did you mean to use {skill.lower()} since the training but didn't? "
        "What would you do differently next time?",
    )

    weak = data.limiters[0] if data.limiters else ""
    role_play = RolePlay(
        setup=(
            "Eight minutes, then swap. One person plays the seller, one the buyer; "
            "everyone else watches with the list below and gives one piece of feedback each."
        ),
        seller_brief=(
            (f"You are one of our {data.segment.lower()}. " if data.segment else "")
            + f"You have a first conversation with a busy buyer at one of your target accounts. "
            f"Use {skill.lower()} to get to what the buyer needs before you talk about the offer."
        ),
        buyer_brief=(
            "Be polite but guarded. Make it hard where the team is still weak "
            f"({_sentence(weak).rstrip('.')}); "
            "give more only when the seller earns it."
            if weak
            else "Be polite but guarded: answer briefly, push back once on price or timing, "
            "and give more only when the seller earns it."
        ),
    )

    look_for = list(RUBRIC_LOOK_FOR)
    look_for += [f"Less of: {_sentence(text)}" for text in data.limiters]
    look_for += [f"Keep: {_sentence(text)}" for text in data.strengths]
    return Kit(
        program=data.program,
        skill=skill,
        purpose=purpose,
        metrics=tuple(data.metrics),
        discussion=tuple(discussion),
        usage_prompts=usage,
        role_play=role_play,
        look_for=tuple(look_for),
        sources={
            "questions_from_bank": min(len(data.questions), DISCUSSION_COUNT),
            "limiters": len(data.limiters),
            "strengths": len(data.strengths),
        },
    )
