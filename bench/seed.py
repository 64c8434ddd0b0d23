"""Seed the benchmark's own database: the 2023 edition and a demo week of 500 events.

Run it alone or through `bench/run.py`:

    .venv/bin/python bench/seed.py           # SQLite: bench/results/bench.sqlite3
    .venv/bin/python bench/seed.py --reseed  # drop it and build it again
    .venv/bin/python bench/seed.py \
        --database-url postgres://postgres@127.0.0.1:5432/qw_bench

It never touches the site's own database: the URL defaults to a file under
bench/results/ (git-ignored), and a PostgreSQL database is created if missing.
"""

import argparse
import datetime
import os
import random
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DATABASE_URL = f"sqlite:///{RESULTS_DIR / 'bench.sqlite3'}"
SLUG_PREFIX = "bench-demo-"
DEMO_EVENTS = 500
# The page `run.py` measures as "an event page": a forum session with a venue,
# speakers and organisers, built so by `add_demo_week`.
SAMPLE_EVENT_SLUG = f"{SLUG_PREFIX}001"

# (Russian, English) topics; every title also says it is demo content.
TOPICS = [
    ("День открытых дверей", "Open day"),
    ("Экскурсия на производство", "Factory excursion"),
    ("Вебинар: бережливое производство", "Webinar: lean production"),
    ("Круглый стол: качество услуг", "Round table: quality of services"),
    ("Мастер-класс по системам менеджмента качества", "Quality management workshop"),
    ("Конкурс «Лидер качества» месяца", "«Quality Leader» of the month contest"),
    ("Акция для покупателей", "Offer for customers"),
    ("Лекция: знак качества и доверие", "Talk: the quality mark and trust"),
    ("Сессия: цифровизация контроля качества", "Session: digital quality control"),
    ("Семинар: стандартизация и метрология", "Seminar: standards and metrology"),
    ("Открытая лаборатория", "Open laboratory"),
    ("Панельная дискуссия: экспорт и качество", "Panel: export and quality"),
]
FIRST_NAMES = ["Анна", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Зоя", "Илья"]
LAST_NAMES = ["Иванова", "Петров", "Смирнова", "Кузнецов", "Орлова", "Волков"]


def database_kind(url: str) -> str:
    """'sqlite' or 'postgres', from a DATABASE_URL."""
    scheme = urlsplit(url).scheme
    if scheme.startswith("sqlite"):
        return "sqlite"
    if scheme.startswith(("postgres", "pgsql")):
        return "postgres"
    raise SystemExit(f"bench: unsupported database URL scheme {scheme!r}")


def prepare_database(url: str, *, reseed: bool) -> None:
    """Create the database (dropping it first on reseed); never the site's own one."""
    if database_kind(url) == "sqlite":
        path = Path(urlsplit(url).path)
        if path.resolve() == (PROJECT_DIR / "db.sqlite3").resolve():
            raise SystemExit("bench: refusing to seed the site's own db.sqlite3")
        path.parent.mkdir(parents=True, exist_ok=True)
        if reseed:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    if not name or name in ("postgres", "qualityweek"):
        raise SystemExit(f"bench: refusing to seed database {name!r}; use qw_bench")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if reseed:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            )


def setup_django(url: str) -> None:
    """Point Django at the benchmark database and start it."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualityweek.settings")
    sys.path.insert(0, str(PROJECT_DIR))
    os.chdir(PROJECT_DIR)

    import django

    django.setup()


def add_demo_week(count: int, rng: random.Random) -> None:
    """Add `count` published demo events spread over 6–12 Nov 2023 (Moscow time)."""
    from django.utils import timezone

    from events import caching
    from events.models import Edition, Event, Organiser, Region, Speaker, Venue

    edition = Edition.objects.get(year=2023)
    forum = Event.objects.get(edition=edition, kind=Event.Kind.FORUM)
    forum_days = {
        timezone.localtime(forum.start).date() + datetime.timedelta(days=n)
        for n in range((forum.end - forum.start).days)
    }
    regions = list(Region.objects.order_by("code"))
    rng.shuffle(regions)
    regions = regions[:40]
    venues = Venue.objects.bulk_create(
        Venue(
            name=f"Демо-площадка {n}: {region.name}",
            name_en=f"Demo venue {n}: {region.name_en or region.name}",
            address=f"{region.name}, демонстрационный адрес, {n}",
            address_en=f"Demo address {n}, {region.name_en or region.name}",
            region=region,
            latitude=f"{rng.uniform(43, 69):.6f}",
            longitude=f"{rng.uniform(30, 135):.6f}",
        )
        for n, region in enumerate(regions[:24], start=1)
    )
    speakers = Speaker.objects.bulk_create(
        Speaker(
            name=f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)} (демо {n})",
            name_en=f"Demo Speaker {n}",
            position="эксперт по качеству",
            position_en="quality expert",
            organisation=f"Демо-компания {n % 15 + 1}",
            organisation_en=f"Demo company {n % 15 + 1}",
            is_demo=True,
        )
        for n in range(1, 81)
    )
    organisers = list(Organiser.objects.all()) + Organiser.objects.bulk_create(
        Organiser(
            name=f"Демо-организация {n}",
            name_en=f"Demo organisation {n}",
            short_name=f"Демо-орг {n}",
            short_name_en=f"Demo org {n}",
            position=100 + n,
        )
        for n in range(1, 13)
    )

    days = edition.days()
    events = []
    for n in range(1, count + 1):
        first = n == 1  # the sample event page: a rich forum session
        day = rng.choice(sorted(forum_days)) if first else rng.choice(days)
        kind = rng.choices(
            [Event.Kind.SESSION, Event.Kind.OTHER, Event.Kind.AWARDS], [55, 42, 3]
        )[0]
        if first or (kind == Event.Kind.SESSION and day not in forum_days):
            kind = Event.Kind.SESSION if day in forum_days else Event.Kind.OTHER
        format = rng.choices(list(Event.Format), [40, 35, 25])[0]
        if first:
            format = Event.Format.HYBRID
        venue = rng.choice(venues) if format != Event.Format.ONLINE else None
        region = None
        if venue is None and rng.random() < 0.6:
            region = rng.choice(regions)
        start = timezone.make_aware(
            datetime.datetime.combine(
                day, datetime.time(rng.randint(8, 19), rng.choice([0, 15, 30, 45]))
            )
        )
        topic, topic_en = rng.choice(TOPICS)
        events.append(
            Event(
                edition=edition,
                slug=f"{SLUG_PREFIX}{n:03d}",
                title=f"Демо: {topic} №{n}",
                title_en=f"Demo: {topic_en} #{n}",
                summary="Демонстрационное событие для нагрузочного теста.",
                summary_en="A demo event for the load benchmark.",
                description=(
                    "Это демонстрационное содержание: такого события в программе "
                    "организаторов нет.\n\n" + topic
                ),
                description_en=(
                    "This is demo content: the organisers' programme has no such "
                    "event.\n\n" + topic_en
                ),
                kind=kind,
                format=format,
                start=start,
                end=start + datetime.timedelta(minutes=rng.choice([30, 60, 90, 120])),
                is_time_confirmed=rng.random() > 0.05,
                venue=venue,
                region=region,
                parent=forum if kind == Event.Kind.SESSION else None,
                stream_url="https://example.com/demo-stream"
                if format != Event.Format.OFFLINE
                else "",
                is_published=True,
                is_cancelled=not first and rng.random() < 0.02,
                is_demo=True,
            )
        )
    events = Event.objects.bulk_create(events)

    event_speakers, event_organisers = [], []
    for n, event in enumerate(events):
        if n == 0:
            chosen = rng.sample(speakers, 3)
        elif event.kind == Event.Kind.SESSION:
            chosen = rng.sample(speakers, rng.randint(0, 3))
        else:
            chosen = rng.sample(speakers, rng.randint(0, 1))
        event_speakers += [
            Event.speakers.through(event=event, speaker=speaker) for speaker in chosen
        ]
        count_organisers = 2 if n == 0 else rng.randint(1, 2)
        event_organisers += [
            Event.organisers.through(event=event, organiser=organiser)
            for organiser in rng.sample(organisers, count_organisers)
        ]
    Event.speakers.through.objects.bulk_create(event_speakers)
    Event.organisers.through.objects.bulk_create(event_organisers)
    # bulk_create sends no signals, so the cached programme is invalidated here.
    caching.bump_revision()


def summary() -> str:
    """One line on what the database holds."""
    from events.models import Event

    published = Event.objects.published()
    return (
        f"{published.count()} published events "
        f"({published.filter(slug__startswith=SLUG_PREFIX).count()} demo, "
        f"{published.filter(is_cancelled=True).count()} cancelled)"
    )


def seed(url: str, *, reseed: bool = False, count: int = DEMO_EVENTS) -> None:
    """Migrate, load the 2023 edition and add the demo week, unless already there."""
    prepare_database(url, reseed=reseed)
    setup_django(url)

    from django.core.management import call_command
    from django.db import transaction

    from events.models import Event

    call_command("migrate", interactive=False, verbosity=0)
    if Event.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        print(f"bench: already seeded: {summary()}")
        return
    with transaction.atomic():
        call_command("loaddata", "quality_week_2023", verbosity=0)
        add_demo_week(count, random.Random(2023))
    print(f"bench: seeded: {summary()}")


def main() -> None:
    """Seed from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="where to seed (default: %(default)s)",
    )
    parser.add_argument(
        "--reseed", action="store_true", help="drop the database and seed it again"
    )
    parser.add_argument(
        "--events", type=int, default=DEMO_EVENTS, help="demo events to add"
    )
    args = parser.parse_args()
    seed(args.database_url, reseed=args.reseed, count=args.events)


if __name__ == "__main__":
    main()
