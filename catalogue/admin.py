from django.contrib import admin

from catalogue.models import (
    Article,
    BoundaryRule,
    CatalogueChange,
    ClauseCandidate,
    Domain,
    EnforcementItem,
    ItemBasis,
    ItemDelegation,
    ItemHolding,
    Law,
)


@admin.register(Law)
class LawAdmin(admin.ModelAdmin):
    list_display = ["short_title", "title", "level", "version_date", "effective_from", "effective_to"]
    list_filter = ["level"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["law", "label", "number"]
    list_filter = ["law"]
    search_fields = ["text"]


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


class BasisInline(admin.TabularInline):
    model = ItemBasis
    raw_id_fields = ["article"]
    extra = 0


class HoldingInline(admin.TabularInline):
    model = ItemHolding
    fk_name = "item"
    extra = 0
    readonly_fields = ["department", "team", "valid_from", "valid_to", "opened_by", "closed_by"]
    can_delete = False


class DelegationInline(admin.TabularInline):
    model = ItemDelegation
    extra = 0
    readonly_fields = ["town", "valid_from", "valid_to", "publication", "opened_by", "closed_by"]
    can_delete = False


@admin.register(EnforcementItem)
class EnforcementItemAdmin(admin.ModelAdmin):
    """Holders and town lists change only through the catalogue services (versioned and audited)."""

    list_display = ["code", "name", "domain", "item_type", "fine_min", "fine_max"]
    list_filter = ["domain", "item_type"]
    search_fields = ["code", "name"]
    inlines = [BasisInline, HoldingInline, DelegationInline]


@admin.register(BoundaryRule)
class BoundaryRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "matter", "supervising_department", "penalising_department", "source", "source_date"]


@admin.register(CatalogueChange)
class CatalogueChangeAdmin(admin.ModelAdmin):
    list_display = ["effective_date", "kind", "document_no", "reason", "actor"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ClauseCandidate)
class ClauseCandidateAdmin(admin.ModelAdmin):
    list_display = ["article", "seq", "status", "violation"]
    list_filter = ["status"]
