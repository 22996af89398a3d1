from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from org.models import Department, District, Officer, Region, Team, User


@admin.register(User)
class OpenEnforceUserAdmin(UserAdmin):
    list_display = ["username", "display_name", "role", "department", "team", "town", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = UserAdmin.fieldsets + (("OpenEnforce", {"fields": ("display_name", "role", "department", "team",
                                                                     "town", "phone")}),)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "district", "boundary_approximate"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    exclude = ["boundary"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "doc_prefix", "reconsideration_body", "active"]
    list_filter = ["kind"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "department", "district"]
    list_filter = ["kind"]
    filter_horizontal = ["towns"]


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ["staff_no", "name", "team", "is_auxiliary", "certificate_no", "certificate_expiry", "active"]
    list_filter = ["is_auxiliary", "team", "active"]
    search_fields = ["name", "staff_no", "certificate_no"]
    filter_horizontal = ["competences"]
