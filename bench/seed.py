"""Seed the benchmark's own database: the 2023 edition and a demo week of 500 events.

Run it alone or through `bench/run.py`:

    .venv/bin/python bench/seed.py           # SQLite: bench/results/bench.sqlite3
    .venv/bin/python bench/seed.py --reseed  # drop it and build it again
    .venv/bin/python bench/seed.py \
        --database-url postgres://postgres@127.0.0.1:5432/qw_bench

It never touches the site's own database: the URL defaults to a file under
bench/results/ (git-ignored), and a PostgreSQL database is created if missing.

For the registration rush `run.py` also calls it with `--rush N --links FILE`:
the regional day gets its seats back and N pending sign-ups, whose signed
confirmation links go to FILE; `--rush-counts` prints how they ended. Both need
the server's SECRET_KEY and QUALITYWEEK_CLOCK in the environment.
"""

import argparse
import datetime
import json
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
# The event of the registration rush: the fixture's regional day takes sign-ups.
RUSH_EVENT_SLUG = "regional-day-2023"
RUSH_REGISTRATIONS = 2000
RUSH_SEATS = 500
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
        # Demo events have a format; "to be announced" is for the letters' own.
        format = rng.choices(
            [Event.Format.ONLINE, Event.Format.OFFLINE, Event.Format.HYBRID],
            [40, 35, 25],
        )[0]
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


def seed_rush(count: int, *, seats: int, links_file: Path) -> str:
    """Give the regional day `seats` free seats and `count` fresh pending sign-ups."""
    from django.db import transaction
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from events.models import Event, Region
    from qualityweek import clock
    from registrations import links, services
    from registrations.models import Registration, new_ticket_code

    event = Event.objects.filter(slug=RUSH_EVENT_SLUG).first()
    if event is None:
        raise SystemExit(f"bench: no event {RUSH_EVENT_SLUG!r}: run seed.py first")
    with transaction.atomic():
        # Earlier runs' sign-ups and their queued letters go: each run starts from
        # empty seats and an empty queue (no worker sends them during a rush).
        event.registrations.all().delete()
        DBTaskResult.objects.all().delete()
        Event.objects.filter(pk=event.pk).update(
            seats=seats, seats_taken=0, keeps_waiting_list=True
        )
        event.refresh_from_db()
        state = services.availability(event)
        if state != services.Availability.OPEN:
            raise SystemExit(
                f"bench: {RUSH_EVENT_SLUG} is {state!r} at the bench clock "
                f"({timezone.localtime(clock.now()):%Y-%m-%d %H:%M}), not open"
            )
        rng = random.Random(count)
        regions = list(Region.objects.order_by("code"))
        consent = {
            "consent_text": services.consent_text_for(event),
            "consent_given_at": clock.now(),
        }
        # token, confirmation_key and ticket_code come from the model's defaults,
        # drawn per instance as the site draws them. 8-letter ticket codes can
        # repeat (unlike the 43-character keys), so a repeat in the batch is drawn
        # again rather than failing the unique index.
        registrations = [
            Registration(
                event=event,
                surname=rng.choice(LAST_NAMES),
                name=rng.choice(FIRST_NAMES),
                email=f"rush-{n:05d}@bench.example",
                phone=f"+7900{n:07d}",
                organisation=f"Демо-компания {n % 15 + 1}",
                position="участник (демо)",
                region=rng.choice(regions),
                **consent,
            )
            for n in range(1, count + 1)
        ]
        codes = set()
        for registration in registrations:
            while registration.ticket_code in codes:
                registration.ticket_code = new_ticket_code()
            codes.add(registration.ticket_code)
        Registration.objects.bulk_create(registrations, batch_size=500)
    # Signed by the site's own function, with this process's SECRET_KEY and clock:
    # the server must run with the same ones to accept them.
    paths = [urlsplit(links.confirm_url(r)).path for r in registrations]
    links_file.write_text("\n".join(paths) + "\n")
    return (
        f"bench: {count} pending sign-ups for {seats} seats at {RUSH_EVENT_SLUG} "
        f"(waiting list on, registration {state}); links in {links_file}"
    )


def rush_counts() -> dict:
    """How the regional day's sign-ups stand: counts by status and seats taken."""
    from django.db.models import Count, Max
    from django_tasks_db.models import DBTaskResult

    from events.models import Event
    from registrations.models import Registration

    event = Event.objects.get(slug=RUSH_EVENT_SLUG)
    registrations = event.registrations.order_by()
    counts = dict(
        registrations.values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    # The event lock puts every confirmation in one line, so on one clock each place
    # on the waiting list is stamped after the last seat was given.
    last_seat = registrations.confirmed().aggregate(last=Max("confirmed_at"))["last"]
    out_of_order = registrations.filter(
        status=Registration.Status.WAITING, waiting_since__lt=last_seat
    )
    return {
        "seats": event.seats,
        "seats_taken": event.seats_taken,
        **{status: counts.get(status, 0) for status in Registration.Status.values},
        "waiting_before_last_seat": out_of_order.count() if last_seat else 0,
        # Each confirmation queues its one letter in its own transaction.
        "letters_queued": DBTaskResult.objects.filter(
            task_path="registrations.tasks.send_mail"
        ).count(),
    }


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
    parser.add_argument(
        "--rush", type=int, metavar="N", help="reset the regional day to N sign-ups"
    )
    parser.add_argument(
        "--seats", type=int, default=RUSH_SEATS, help="seats for --rush (%(default)s)"
    )
    parser.add_argument(
        "--links", type=Path, help="where --rush writes the confirmation links"
    )
    parser.add_argument(
        "--rush-counts", action="store_true", help="print the rush's counts as JSON"
    )
    args = parser.parse_args()
    if args.rush is not None or args.rush_counts:
        # The base seed is there already (run.py makes it before the server starts).
        setup_django(args.database_url)
        if args.rush is not None:
            if args.links is None:
                parser.error("--rush needs --links FILE")
            print(seed_rush(args.rush, seats=args.seats, links_file=args.links))
        else:
            print(json.dumps(rush_counts()))
        return
    seed(args.database_url, reseed=args.reseed, count=args.events)


if __name__ == "__main__":
    main()
