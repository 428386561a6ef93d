"""A visit note holding personal data (a name given to --redact, a phone number, an email address) in point 2:
what the publish check must find, in the tests of review.py and report/input_privacy.py."""
from __future__ import annotations


NOTE = """---
date: 2025-02-03
team: Riverside Locality Team
---
- Caseloads had risen to 27 children each and staff said this was unmanageable.
- Staff said Jo Bloggs's team could be reached on 07700 900123 or at duty.team@example.gov.uk.
- Reflective supervision was regular and valued.
"""
