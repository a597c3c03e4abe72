"""四季青街道: the demo street of seed 000, with two years (2013, 2014) of records.

Everything is derived from the tables in these modules and from random.Random seeded per community
and purpose, so every run produces the same records. Loading is an upsert on natural keys
that writes only what differs: a second run adds no rows and no history rows.

The figures follow the plan where it is explicit (communities, star targets, the upgrade
schedule, the culture rooms to be built, school sharing for 钱杭/钱江苑/钱塘) and are
varied elsewhere so that the 2014 assessment spreads over 优秀, 良好 and 合格.

Modules: profiles (the communities), places (facilities, upgrade projects), plan (cadres,
brands, ratings, awards, 文化走亲, calendar, 配送, names), accounts (demo users), people
(persons, teams, volunteers, certificates), activities, upsert (the idempotent write and the
seeded helpers), load (load_demo, which puts them together). synthetic generates the large
reproducible city the benchmarks use.
"""
