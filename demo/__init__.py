"""四季青街道: the demo street of seed 000, as it stands on a date (today by default).

The seed holds two years (2013, 2014, the plan's years); timeline moves them by whole years
to the two years before the date, which load_demo assesses and finalises (finalise), and
activities.current_plan builds the year in progress up to the date.

Everything is derived from the tables in these modules and from random.Random seeded per community
and purpose, so every run produces the same records. Loading is an upsert on natural keys
that writes only what differs: a second run adds no rows and no history rows.

The figures follow the plan where it is explicit (communities, star targets, the upgrade
schedule, the culture rooms to be built, school sharing for 钱杭/钱江苑/钱塘) and are
varied elsewhere so that the 2014 assessment spreads over 优秀, 良好 and 合格.

Modules: profiles (the communities), places (facilities, upgrade projects), plan (cadres,
brands, ratings, awards, 文化走亲, calendar, 配送, names), accounts (demo users), people
(persons, teams, volunteers, certificates), activities, timeline (where the date puts the
seed), upsert (the idempotent, year-shifting write and the seeded helpers), finalise (the
complete years' 定稿), load (load_demo, which puts them together). synthetic generates the large
reproducible city the benchmarks use.
"""
