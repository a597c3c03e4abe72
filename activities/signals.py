"""Signals of activities, for the layers above that keep figures derived from an activity.

status_changed(sender=Activity, activity=…)   after every workflow move (services._move)
"""

from django.dispatch import Signal

status_changed = Signal()
