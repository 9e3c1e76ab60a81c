"""The database's tables: the normalised source tables, the fixed lookups, and the analysis tables
derived from them once per build (facts with points and sequence, region and unit ids, counts).
"""

from __future__ import annotations

import duckdb

from analytics.errors import CorruptDataError
from analytics.filter_fields import APPROXIMATE, FILTER_COLUMNS, PERIOD
from analytics.pipeline.source_tables import TABLES
from analytics.vocab import RATINGS, REPORT_FIGURES, STANDARDS, UNIT_TYPE_LABELS, UNIT_TYPES

SCHEMA_VERSION = 9

# the fixed lookups the source tables refer to
LOOKUPS_SQL = """
create table ratings (
    rating      varchar primary key,
    points      integer not null,
    sort_order  integer not null,
    colour      varchar not null
);
create table unit_types (
    unit_type   varchar primary key,
    label       varchar not null,
    sort_order  integer not null
);
create table standards (
    standard    varchar primary key,
    domain      varchar not null,
    sort_order  integer not null
);
create table figures (
    figure      varchar primary key,
    percent     boolean not null,  -- a share of the inspected cases in whole per cent
    sort_order  integer not null
);
"""
# the imports made and what the database is
BOOKKEEPING_SQL = """
create table import_log (
    import_id      integer primary key,
    imported_at    varchar not null,
    file_name      varchar not null,
    file_sha256    varchar not null,
    added          integer not null,
    replaced       integer not null,
    skipped        integer not null
);
create table dataset_info (
    source         varchar not null,
    licence        varchar not null,
    synthetic      boolean not null,
    built_at       timestamp not null,
    content_hash   varchar not null,
    schema_version integer not null
);
"""
# Rules several analyses share, each written once here and expanded by DuckDB into every query
# that calls it, so that each query reads whole (the vocabulary they need comes in as arguments:
# bound values, never literals).
MACROS_SQL = """
-- Whole months from first_day to last_day, 0 when last_day comes first: how old a rating is.
create macro whole_months(first_day, last_day) as
    greatest(0, (year(last_day) - year(first_day)) * 12 + month(last_day) - month(first_day)
                - case when day(last_day) < day(first_day) then 1 else 0 end)::integer;
-- The band an age in months falls in, given the last month of the first two bands and the names.
create macro freshness_band(months, first_last, second_last, first, second, third) as
    case when months <= first_last then first when months <= second_last then second else third end;
-- Whether an age counted from a date is approximate: the date is not a stated day (a month or
-- year's first day stands for it) or has a basis no page states.
create macro age_approximate(published_precision, date_basis, approximate_bases) as
    published_precision <> 'day' or list_contains(approximate_bases, date_basis);
-- Units named in a comparison as rows, in the order named (two bound lists zipped), with the
-- integer id their inspections carry (unit_facts; none for a unit never inspected): the
-- comparisons find their rows by it, not by comparing names on every inspection.
create macro picked_units(unit_types, unit_names) as table
    select p.unit_type, p.unit_name, p.position, u.unit_id
    from (
        select unnest(unit_types) as unit_type, unnest(unit_names) as unit_name,
               unnest(range(1, len(unit_types) + 1)) as position
    ) p
    left join unit_facts u using (unit_type, unit_name);
"""
SCHEMA_SQL = (
    LOOKUPS_SQL + "".join(t.create_sql() for t in TABLES.values()) + BOOKKEEPING_SQL + MACROS_SQL
)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and fill the fixed lookups (ratings, unit types, standards, figures)."""
    con.execute(SCHEMA_SQL)
    con.executemany(
        "insert into ratings values (?, ?, ?, ?)",
        [(r.name, r.points, i, r.colour) for i, r in enumerate(RATINGS)],
    )
    con.executemany(
        "insert into unit_types values (?, ?, ?)",
        [(t, UNIT_TYPE_LABELS[t], i) for i, t in enumerate(UNIT_TYPES)],
    )
    con.executemany(
        "insert into standards values (?, ?, ?)",
        [(s, d, i) for i, (s, d) in enumerate(STANDARDS)],
    )
    con.executemany(
        "insert into figures values (?, ?, ?)",
        [(f.name, f.percent, i) for i, f in enumerate(REPORT_FIGURES)],
    )


FACTS_SQL = """
-- Derived once per snapshot (the data never changes under a reader), so that every analysis is a
-- single scan: points, each unit's sequence and previous inspection, and standard ratings carrying
-- the inspection columns the filters use. The tables above stay the normalised source of truth.

-- Regions numbered once, alphabetically: analyses group on the small integer, then name it.
create table region_ids as
select region, row_number() over (order by region)::integer as region_id from regions;

create table inspection_facts as
select
    i.*,
    r.points,
    dense_rank() over (order by i.unit_type, i.unit_name) as unit_id,
    row_number() over w                 as seq,
    lag(i.overall_rating) over w        as previous_rating,
    lag(i.published) over w             as previous_published,
    lag(r.points) over w                as previous_points,
    -- "last time" as a manager means it, one rule for the league, Compare, tiles and summary
    case
        when lag(r.points) over w is null then 'first inspection'
        when r.points > lag(r.points) over w then 'improved'
        when r.points < lag(r.points) over w then 'declined'
        else 'unchanged'
    end                                 as change,
    coalesce(k.standards_known, 0)      as standards_known
from inspections i
join ratings r on r.rating = i.overall_rating
left join (
    select inspection_id, count(*)::integer as standards_known
    from standard_ratings group by inspection_id
) k using (inspection_id)
window w as (partition by i.unit_type, i.unit_name order by i.published_date, i.published)
order by i.published_date, i.unit_type, i.unit_name;

-- One row per inspected unit under the id inspection_facts gives it: lists of units group on
-- that integer and are named from here.
create table unit_facts as
select f.unit_id, f.unit_type, f.unit_name, u.region, t.sort_order as type_order
from (
    select unit_id, any_value(unit_type) as unit_type, any_value(unit_name) as unit_name
    from inspection_facts
    group by unit_id
) f
join units u using (unit_type, unit_name)
join unit_types t using (unit_type)
order by f.unit_id;

create table standard_facts as
select
    s.inspection_id,
    s.standard,
    st.domain,
    st.sort_order as standard_order,
    s.rating,
    r.points,
    -- every filter's column (filter_fields.FILTER_COLUMNS): where_sql applies here too
    {filter_columns},
    g.region_id,  -- grouping on small integers is ~3x faster than on strings at 12M rows
    i.published
from standard_ratings s
join inspections i using (inspection_id)
join ratings r on r.rating = s.rating
join standards st using (standard)
left join region_ids g on g.region = i.region
-- Stored in runs of one unit type and region (dated within each): DuckDB skips the row groups a
-- type, region or unit filter rules out (a 3-region PDU filter: 120 -> 35 ms at 12M rows).
order by i.unit_type, g.region_id, i.published_date, s.standard;

-- The unit benchmark sets one unit beside all its peers, to whom only the period applies: their
-- standard ratings counted per type, region, standard, rating and day are ~10x fewer rows to read.
create table standard_counts as
select unit_type, region_id, standard_order, points, {peer_columns},
       count(*) as n
from standard_facts
group by all
order by unit_type, region_id, published_date;
""".format(  # noqa: S608 -- declared column names, no value
    filter_columns=",\n    ".join(f"i.{c}" for c in FILTER_COLUMNS),
    # the peers of the unit benchmark are filtered by the period alone
    peer_columns=", ".join((PERIOD.column, APPROXIMATE.column)),
)


# The keys and references of the tables too big to check row by row: (table, rule, SQL counting
# the rows that break it).
KEY_CHECKS: tuple[tuple[str, str, str], ...] = (
    (
        "standard_ratings",
        "name no inspection in the inspections table",
        "select count(*) from standard_ratings anti join inspections using (inspection_id)",
    ),
    (
        "standard_ratings",
        "name an unknown standard",
        "select count(*) from standard_ratings anti join standards using (standard)",
    ),
    (
        "standard_ratings",
        "give an unknown rating",
        "select count(*) from standard_ratings anti join ratings using (rating)",
    ),
    (
        "standard_ratings",
        "repeat an inspection's standard",
        "select count(*) from (select inspection_id, standard from standard_ratings "
        "group by all having count(*) > 1)",
    ),
    (
        "report_figures",
        "name no inspection in the inspections table",
        "select count(*) from report_figures anti join inspections using (inspection_id)",
    ),
    (
        "report_figures",
        "name an unknown figure",
        "select count(*) from report_figures anti join figures using (figure)",
    ),
    (
        "report_figures",
        "repeat an inspection's figure",
        "select count(*) from (select inspection_id, figure from report_figures "
        "group by all having count(*) > 1)",
    ),
)
KEY_CHECK_SQL = "select " + ", ".join(f"({sql})" for _, _, sql in KEY_CHECKS)


def finalize(con: duckdb.DuckDBPyConnection) -> None:
    """Check the keys of standard ratings and report figures, then derive the analysis tables
    (every build ends here).

    Raises
    ------
    DatabaseError
        If a row breaks a key or reference (rows are validated before loading, so this is a last
        line of defence: the build is abandoned and the previous database kept).
    """
    counts = con.execute(KEY_CHECK_SQL).fetchone() or (0,) * len(KEY_CHECKS)
    broken: dict[str, list[str]] = {}
    for n, (table, rule, _) in zip(counts, KEY_CHECKS, strict=True):
        if n:
            broken.setdefault(table, []).append(f"{n:,} {rule}")
    if broken:
        raise CorruptDataError(
            "; ".join(f"{table}: " + "; ".join(rules) for table, rules in broken.items())
            + " (nothing was written)"
        )
    con.execute(FACTS_SQL)
