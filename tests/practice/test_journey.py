"""Browser journey: a lead adds a scenario, a seller records a video and writes an answer, the
manager scores it with a comment, the seller reruns; the stage and the points change.

Chromium runs with its fake camera and microphone, launched here with the media flags so the
suite's shared browser keeps its own arguments.
"""

import os

import pytest
from playwright.sync_api import expect

from reinforcement.models import SkillStage, Stage
from reinforcement.practice.models import Attempt, PointEntry, Review
from tests.browser.axe import serious_violations
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "var/screenshots"
RUBRIC = (
    "Cost of the problem | Never asks | Asks once | Finds it | Finds it in money | Buyer says it in numbers\n"
    "Next step | None | Vague | Dated | Dated with owner | Proposed by the buyer"
)


@pytest.fixture
def media_browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
        ],
    )
    yield browser
    browser.close()


def login(browser, live_server, username, width=1366):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    return page


def test_scenario_recording_review_and_rerun(
    media_browser, live_server, org, enrolled, program_skills, monkeypatch
):
    seller = org.people["seller"]
    monkeypatch.setattr("reinforcement.practice.views.CHUNK_BYTES", 64 * 1024)  # several chunks per recording
    qualifying = program_skills[0].skill

    # The lead adds a scenario.
    lead = login(media_browser, live_server, "lead")
    lead.goto(f"{live_server.url}/practice/scenarios/new/")
    lead.get_by_label("Skill").select_option(label=qualifying.name)
    lead.get_by_label("Title").fill("The buyer who wants a price today")
    lead.get_by_label("Situation").fill("A procurement lead asks for a price before you know the problem.")
    lead.get_by_label("Buyer's role").fill("Procurement lead")
    lead.get_by_label("Objections").fill("Just send the price\nWe have no time for meetings")
    lead.get_by_label("What good looks like").fill("Finds the cost of the problem before quoting.")
    lead.get_by_label("Rubric").fill(RUBRIC)
    lead.get_by_role("button", name="Save scenario").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("The buyer who wants a price today")
    lead.screenshot(path=f"{SHOTS}/practice-scenario-lead-1366.png", full_page=True)

    # The seller records five seconds of video with the fake camera, then writes an answer.
    page = login(media_browser, live_server, "seller")
    expect(page.get_by_text("role-play scenario")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/practice-seller-home-1366.png", full_page=True)
    page.get_by_role("button", name="Practice", exact=True).click()
    page.get_by_role("link", name="Scenarios", exact=True).click()
    page.get_by_role("link", name="The buyer who wants a price today").click()
    page.get_by_role("button", name="Start recording").click()
    expect(page.locator("#rec-status")).to_have_text("Recording…")
    page.wait_for_timeout(5200)
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("button", name="Send for review")).to_be_enabled()
    # A flaky connection: the second chunk is lost once; the page asks for the offset and resumes.
    dropped = []

    def drop_second_chunk(route, request):
        if request.method == "PUT" and request.headers.get("upload-offset") != "0" and not dropped:
            dropped.append(request.headers["upload-offset"])
            return route.abort("connectionreset")
        return route.continue_()

    page.route("**/practice/uploads/**", drop_second_chunk)
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("link", name="Attempt 1")).to_be_visible(timeout=30000)
    assert dropped == [str(64 * 1024)]
    video = Attempt.objects.get(person=seller, number=1)
    assert video.kind == "video" and video.size > 64 * 1024 and video.content_type == "video/webm"
    with video.recording.open("rb") as f:
        assert len(f.read()) == video.size
    page.get_by_label("Your answer").fill(
        "Before any price, I ask what a late decision costs them each month."
    )
    page.get_by_role("button", name="Send written answer").click()
    expect(page.get_by_role("link", name="Attempt 2")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/practice-attempts-seller-1366.png", full_page=True)
    assert SkillStage.objects.get(person=seller, program_skill=program_skills[0]).stage == Stage.REMEMBER
    points_before = sum(PointEntry.objects.filter(person=seller).values_list("points", flat=True))

    # The manager finds the request on the home page and scores the video with a comment at a time.
    manager = login(media_browser, live_server, "manager")
    expect(manager.get_by_text("2 attempts waiting for your review")).to_be_visible()
    manager.screenshot(path=f"{SHOTS}/practice-manager-home-1366.png", full_page=True)
    manager.goto(f"{live_server.url}/practice/attempts/{video.pk}/")
    player = manager.locator("video#player")
    expect(player).to_be_visible()
    manager.wait_for_function("document.querySelector('video#player').readyState >= 1")
    manager.locator("input[name=score_0][value='4']").check()
    manager.locator("input[name=score_1][value='3']").check()
    manager.get_by_label("Comment", exact=True).fill("Strong question about the cost; agree a date next.")
    manager.get_by_label("Comments at a time in the recording").fill("0:02 Good pause before answering")
    manager.screenshot(path=f"{SHOTS}/practice-review-manager-1366.png", full_page=True)
    assert serious_violations(manager) == []
    manager.get_by_role("button", name="Save review").click()
    expect(manager.get_by_role("heading", name="3.50/5 from")).to_be_visible()
    assert Review.objects.get(attempt=video).timed_comments.get().at_seconds == 2

    # The seller sees the score, reruns, and the stage and points have moved.
    page.reload()
    expect(page.locator(".review-score").first).to_have_text("3.50/5")
    page.get_by_label("Your answer").fill(
        "Rerun: I ask what waiting costs, then propose a call with the CFO."
    )
    page.get_by_role("button", name="Send written answer").click()
    expect(page.get_by_role("link", name="Attempt 3")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/practice-rerun-seller-1366.png", full_page=True)
    page.set_viewport_size({"width": 768, "height": 1000})
    page.screenshot(path=f"{SHOTS}/practice-rerun-seller-768.png", full_page=True)
    assert serious_violations(page) == []
    assert SkillStage.objects.get(person=seller, program_skill=program_skills[0]).stage == Stage.PRACTICE
    page.goto(f"{live_server.url}/reinforcement/me/")
    expect(page.locator(f"[data-stage='{Stage.PRACTICE}']").first).to_be_visible()
    page.goto(f"{live_server.url}/practice/leaderboard/")
    points_after = sum(PointEntry.objects.filter(person=seller).values_list("points", flat=True))
    assert points_after >= points_before + 10 + 20  # scored practice + reaching Practice
    expect(page.locator("#mine-h")).to_contain_text(f"Your points: {points_after}")
    page.screenshot(path=f"{SHOTS}/practice-leaderboard-seller-768.png", full_page=True)
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=f"{SHOTS}/practice-leaderboard-seller-1366.png", full_page=True)

    # The lead requires certification for Master and starts a team competition.
    lead.goto(f"{live_server.url}/practice/programs/{program_skills[0].program_id}/")
    lead.locator("#id_c-name").fill("December sprint")
    lead.locator("#id_c-starts_on").fill("2026-12-01")
    lead.locator("#id_c-ends_on").fill("2026-12-31")
    lead.get_by_role("button", name="Start competition").click()
    expect(lead.get_by_text("Competition created.")).to_be_visible()
    lead.set_viewport_size({"width": 768, "height": 1000})
    lead.screenshot(path=f"{SHOTS}/practice-program-settings-768.png", full_page=True)
    assert serious_violations(lead) == []
