from django.contrib import admin

from core.models import AuditRecord, CalendarDay, ConfigValue, HolidayNotice


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only."""

    list_display = ["seq", "at", "actor_name", "action", "object_type", "object_id", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "object_repr", "actor_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "document_no", "published_on"]
    inlines = [CalendarDayInline]

    def has_change_permission(self, request, obj=None):
        return False  # load with `openenforce calendar_load` so the change is audited


@admin.register(ConfigValue)
class ConfigValueAdmin(admin.ModelAdmin):
    list_display = ["key", "value", "valid_from", "reason", "set_by", "set_at"]

    def has_change_permission(self, request, obj=None):
        return False
