"""Versioned configuration (django-simple-history): fee rules and schedules carry their own
`history`; the staff roles (auth groups and their permissions) are registered here."""

from django.contrib.auth.models import Group
from simple_history import register

register(Group, app="wallet", m2m_fields=["permissions"], table_name="wallet_historicalgroup")
