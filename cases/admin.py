from django.contrib import admin

from cases.models import MonitoringDevice


@admin.register(MonitoringDevice)
class MonitoringDeviceAdmin(admin.ModelAdmin):
    """XF-041 device register: the guidance office keeps it; records from a device are evidence only
    while every field the law requires is filled (``MonitoringDevice.problems_on``)."""

    list_display = ("code", "name", "department", "location", "legal_review_ref", "technical_review_ref",
                    "signposted", "published_on", "active")
    list_filter = ("department", "active", "signposted")
    search_fields = ("code", "name", "location")
