from django.contrib import admin

from parties.models import Enterprise, Person


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "legacy_reg_no", "kind", "town", "risk_class", "synthetic"]
    list_filter = ["kind", "risk_class", "town", "synthetic"]
    search_fields = ["name", "uscc", "legacy_reg_no"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "masked_id", "town"]
    exclude = ["id_number"]

    @admin.display(description="身份证号码")
    def masked_id(self, obj):
        from core.validators import mask_id_number

        return mask_id_number(obj.id_number)
