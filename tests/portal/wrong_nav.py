"""A menu with a misspelt URL name, for tests/portal/test_nav.py."""

from portal.nav import Entry

ENTRIES = [Entry("台账", "设施", "facilities:lst")]
