"""Generate fictional scrutiny reviews that follow the real input contracts, for benchmarks and batch tests.

    python benchmarks/make_reviews.py OUT [--count 24] [--seed 7] [--min-notes 5] [--max-notes 40]

writes, for each review, ``OUT/reviews/<review_id>/`` (``visits/*.md``, ``workforce.csv``,
``recommendations.csv``) and ``OUT/params/<review_id>.yaml`` (paths relative to the params file), and
prints the params folder. Everything is derived from ``--seed``, so the same command writes the same bytes.

The text is invented and carries no personal data (no names, emails, phone numbers or addresses), so the
publish check accepts it. Standard library only: importing this module is cheap.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

PLACES = ("Northmoor", "Eastvale", "Westbrook", "Southfold", "Highcombe", "Lowmarsh", "Ashdene", "Brackenford",
          "Coldharbour", "Dunmere", "Elmstead", "Fernleigh", "Greywater", "Hollinsby", "Ironbridge Vale",
          "Kestrel Downs", "Larkmoor", "Millbeck", "Nethercote", "Oakhurst", "Pendlebury Fells", "Queensmead",
          "Ravensholt", "Stonecross", "Thornbury Heath", "Upperdale", "Wychwood Marches", "Yarrowdale")
KINDS = ("County Council", "Borough Council", "City Council", "Metropolitan Borough Council")
TOPICS = ("Frontline social work", "Children's social care workforce", "Safeguarding teams under pressure",
          "Recruitment and retention of social workers", "The front door and early help")
TEAM_KINDS = ("Locality Team", "Assessment Team", "Children in Care Team", "Leaving Care Team",
              "Disabled Children's Team", "Front Door Team", "Court Team")
TEAM_AREAS = ("North", "South", "East", "West", "Central", "Riverside", "Hillside", "Market")
THEMES = ("caseload_workload", "recruitment_retention", "agency_staff", "admin_support", "it_systems",
          "accommodation_premises", "supervision_training", "partnership", "morale_leadership",
          "demand_complexity", "organisational_change", "pay_conditions", "performance_quality", "voice_of_child")
RESPONSES = ("accepted", "partially accepted", "not accepted", "awaiting response")
STATUSES = ("not started", "in progress", "complete", "superseded")
OWNERS = ("Director of Children's Services", "Assistant Director, Safeguarding", "Head of Workforce Development",
          "Head of Digital Services", "Principal Social Worker", "Head of Business Support")
WORKFORCE_HEADER = ("period", "authority", "team", "fte_social_workers", "vacancy_rate", "agency_rate",
                    "turnover_rate", "absence_rate", "caseload_avg")
RECOMMENDATION_HEADER = ("id", "recommendation", "themes", "owner", "response", "action", "due", "status",
                         "update", "updated")

# What staff told visiting members, by theme: (concern, positive). Plain words the default codebook codes.
POINTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "caseload_workload": (
        ("Caseloads are too high: most workers hold more than twenty five children.",
         "Staff said the workload is unmanageable and they work late most evenings to keep up with visits.",
         "Newly qualified workers already carry full caseloads in their first year."),
        ("Caseloads have come down since the new team was created and feel manageable now.",)),
    "recruitment_retention": (
        ("Three posts have been vacant for over a year and recruitment campaigns attract few applicants.",
         "Experienced social workers are leaving for neighbouring councils; retention is the biggest worry."),
        ("The team is fully staffed for the first time in two years after the recruitment drive.",)),
    "agency_staff": (
        ("Agency social workers cover a third of posts and many stay only a few weeks.",
         "Reliance on agency staff means children keep changing social worker."),
        ("Agency use has fallen and the remaining locum workers are settled in the team.",)),
    "admin_support": (
        ("There is no business support, so social workers book rooms and take their own minutes.",
         "Admin support was cut and workers spend hours on paperwork instead of seeing families."),
        ("The new business support officers free up time for direct work.",)),
    "it_systems": (
        ("The case recording system is slow and crashes, and laptops often fail to connect remotely.",
         "Workers record the same information twice because the IT systems do not talk to each other."),
        ("New laptops and mobile phones mean workers can record visits on the move.",)),
    "accommodation_premises": (
        ("The office is cramped and there are not enough private rooms for difficult conversations.",
         "Hot desking means there is often nowhere to sit in the building."),
        ("The refurbished office has good family rooms and quiet space.",)),
    "supervision_training": (
        ("Supervision is often cancelled and reflective supervision has stopped.",
         "There is little training beyond the mandatory courses."),
        ("Supervision is regular and valued, and the training offer is good.",
         "The practice development programme for newly qualified workers is well regarded.")),
    "partnership": (
        ("Referrals from schools and health partners often lack the information needed.",
         "Partnership working with the police is strained and strategy meetings are hard to arrange."),
        ("Multi-agency working with health visitors and schools is strong.",)),
    "morale_leadership": (
        ("Morale is low and staff feel senior leaders are not visible.",
         "Workers said they feel burnt out and unsupported by management."),
        ("Morale is high; managers are approachable and leaders visit the team.",)),
    "demand_complexity": (
        ("Demand has risen sharply and cases are more complex, with more neglect and exploitation.",
         "The number of referrals keeps growing and thresholds feel inconsistent."),
        ("Early help has reduced demand at the front door.",)),
    "organisational_change": (
        ("Repeated restructures have unsettled the service and teams keep changing.",
         "The latest restructure moved workers without consultation."),
        ("The restructure has settled down and the new teams make sense to staff.",)),
    "pay_conditions": (
        ("Pay is lower than in neighbouring councils and there is no retention payment.",
         "Mileage rates and car parking costs are a constant complaint."),
        ("The new market supplement and flexible working arrangements are welcomed.",)),
    "performance_quality": (
        ("Audits find assessments are late and plans lack detail.",
         "Performance on timely visits has slipped over the last year."),
        ("Audit grades have improved and most assessments are completed on time.",)),
    "voice_of_child": (
        ("Children said they do not know who their social worker is this month.",
         "Workers have little time to hear the voice of the child in direct work."),
        ("Young people from the children in care council said workers listen to them.",)),
}
RECOMMENDATIONS: dict[str, str] = {
    "caseload_workload": "Set and publish a caseload ceiling for every team",
    "recruitment_retention": "Launch a social worker recruitment and retention strategy",
    "agency_staff": "Reduce reliance on agency social workers",
    "admin_support": "Restore business support to every locality team",
    "it_systems": "Replace the case recording system and fix remote access",
    "accommodation_premises": "Provide private family rooms in every office",
    "supervision_training": "Guarantee monthly reflective supervision",
    "partnership": "Agree a referral standard with schools, health and the police",
    "morale_leadership": "Senior leaders to visit every team each quarter",
    "demand_complexity": "Review thresholds at the front door",
    "organisational_change": "Pause further restructures for a year",
    "pay_conditions": "Benchmark pay against neighbouring councils",
    "performance_quality": "Report audit findings to the committee twice a year",
    "voice_of_child": "Ask children in care how often their social worker changes",
}


@dataclass(frozen=True)
class ReviewSpec:
    review_id: str
    authority: str
    title: str
    report_date: dt.date
    teams: tuple[str, ...]
    notes: int
    hot_themes: tuple[str, ...]  # raised as concerns most often in this review


def plan_reviews(count: int, *, seed: int = 7, min_notes: int = 5, max_notes: int = 40) -> list[ReviewSpec]:
    """The reviews to write: distinct fictional authorities, varied sizes and concerns, all from `seed`."""
    rng = random.Random(seed)
    places = rng.sample(PLACES, k=min(count, len(PLACES)))
    specs = []
    for i in range(count):
        place = places[i % len(places)] + ("" if i < len(places) else f" {i // len(places) + 1}")
        kind = KINDS[i % len(KINDS)]
        year = 2023 + i % 3
        slug = place.lower().replace(" ", "-")
        teams = tuple(sorted({f"{rng.choice(TEAM_AREAS)} {rng.choice(TEAM_KINDS)}" for _ in range(rng.randint(2, 5))}))
        specs.append(ReviewSpec(
            review_id=f"{slug}-{year}",
            authority=f"{place} {kind}",
            title=rng.choice(TOPICS),
            report_date=dt.date(year, rng.choice((3, 6, 9, 11)), rng.randint(1, 28)),
            teams=teams,
            notes=rng.randint(min_notes, max_notes),
            hot_themes=tuple(rng.sample(THEMES, k=3)),
        ))
    return specs


def visit_note(spec: ReviewSpec, number: int, rng: random.Random) -> str:
    """One visit's Markdown: YAML front matter (date, team, sometimes confidential) then bullet points."""
    date = spec.report_date - dt.timedelta(days=20 + 7 * number + rng.randint(0, 5))
    lines = ["---", f"date: {date.isoformat()}", f"team: {spec.teams[number % len(spec.teams)]}"]
    if number % 9 == 8:
        lines.append("confidential: true")
    lines += ["---", "", "## What staff told us", ""]
    points: list[str] = []
    wanted = rng.randint(3, 7)
    while len(points) < wanted:
        theme = rng.choice(spec.hot_themes) if rng.random() < 0.6 else rng.choice(THEMES)
        concerns, positives = POINTS[theme]
        point = rng.choice(positives if rng.random() < 0.25 else concerns)
        if point not in points:
            points.append(point)
    lines += [f"- {point}" for point in points]
    lines += ["", "## What members observed", "", f"- {rng.choice(POINTS[rng.choice(THEMES)][0])}", ""]
    return "\n".join(lines)


def workforce_csv(spec: ReviewSpec, rng: random.Random, *, broken: bool = False) -> str:
    """Yearly figures for the authority, its teams in the latest year, and England rows for comparison."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(WORKFORCE_HEADER if not broken else ("period", "team", *WORKFORCE_HEADER[3:]))
    years = range(spec.report_date.year - 3, spec.report_date.year)

    def figures(scale: float) -> list[str]:
        return [f"{rng.uniform(80, 400) * scale:.1f}", f"{rng.uniform(5, 30):.1f}", f"{rng.uniform(3, 30):.1f}",
                f"{rng.uniform(8, 25):.1f}", f"{rng.uniform(2, 6):.1f}", f"{rng.uniform(14, 28):.1f}"]

    for year in years:
        row = [str(year), spec.authority, "", *figures(1)]
        if broken:  # no authority column and words where numbers belong: the loader must refuse it
            row = [str(year), "", "lots", *figures(1)[1:]]
        writer.writerow(row)
    if not broken:
        for team in spec.teams:
            writer.writerow([str(years[-1]), spec.authority, team, *figures(0.1)])
        for year in years:
            writer.writerow([str(year), "England", "", f"{30000 + 500 * (year - 2019)}", "16.5", "15.8", "15.9",
                             "3.4", "17.8"])
    return out.getvalue()


def recommendations_csv(spec: ReviewSpec, rng: random.Random) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RECOMMENDATION_HEADER)
    themes = list(dict.fromkeys(spec.hot_themes + tuple(rng.sample(THEMES, k=rng.randint(1, 4)))))
    for n, theme in enumerate(themes, start=1):
        due = spec.report_date + dt.timedelta(days=rng.choice((-60, 30, 90, 180)))
        response = rng.choice(RESPONSES)
        status = rng.choice(STATUSES) if response != "awaiting response" else "not started"
        updated = spec.report_date - dt.timedelta(days=rng.randint(1, 40)) if status != "not started" else None
        extra = rng.choice([t for t in THEMES if t != theme])
        writer.writerow([
            str(n), RECOMMENDATIONS[theme], f"{theme}; {extra}" if n % 3 == 0 else theme, rng.choice(OWNERS),
            response, "Officers to report back with a costed plan" if response != "not accepted" else "",
            due.isoformat(), status, "Progress reported to the committee" if updated else "",
            updated.isoformat() if updated else "",
        ])
    return out.getvalue()


def params_yaml(spec: ReviewSpec) -> str:
    base = f"../reviews/{spec.review_id}"
    return "\n".join([
        f"review_id: {spec.review_id}",
        f"title: \"{spec.title}\"",
        f"authority: {spec.authority}",
        "committee: Children and Young People Scrutiny Committee",
        f"report_date: {spec.report_date.isoformat()}",
        f"visit_notes: {base}/visits/",
        f"workforce: {base}/workforce.csv",
        f"recommendations: {base}/recommendations.csv",
        "codebook: default",
        "targets: {caseload_avg: 20}",
        "comparators: [England]",
        "",
    ])


def write_review(out: Path, spec: ReviewSpec, *, seed: int = 7, broken_workforce: bool = False) -> Path:
    """Write one review's inputs and params file under `out`; returns the params file."""
    rng = random.Random(f"{seed}:{spec.review_id}")
    folder = out / "reviews" / spec.review_id
    (folder / "visits").mkdir(parents=True, exist_ok=True)
    for number in range(spec.notes):
        text = visit_note(spec, number, rng)
        (folder / "visits" / f"visit-{number + 1:02d}.md").write_text(text, encoding="utf-8")
    (folder / "workforce.csv").write_text(workforce_csv(spec, rng, broken=broken_workforce), encoding="utf-8")
    (folder / "recommendations.csv").write_text(recommendations_csv(spec, rng), encoding="utf-8")
    params = out / "params" / f"{spec.review_id}.yaml"
    params.parent.mkdir(parents=True, exist_ok=True)
    params.write_text(params_yaml(spec), encoding="utf-8")
    return params


def make_reviews(out: Path, count: int = 24, *, seed: int = 7, min_notes: int = 5, max_notes: int = 40,
                 broken_workforce: tuple[str, ...] = ()) -> list[Path]:
    """Write `count` reviews under `out`; review ids listed in `broken_workforce` get an invalid workforce file."""
    specs = plan_reviews(count, seed=seed, min_notes=min_notes, max_notes=max_notes)
    return [write_review(Path(out), s, seed=seed, broken_workforce=s.review_id in broken_workforce) for s in specs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write params/ and reviews/ into")
    parser.add_argument("--count", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--min-notes", type=int, default=5)
    parser.add_argument("--max-notes", type=int, default=40)
    args = parser.parse_args(argv)
    make_reviews(args.out, args.count, seed=args.seed, min_notes=args.min_notes, max_notes=args.max_notes)
    print(args.out / "params")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
