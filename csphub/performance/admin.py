from django.contrib import admin

from .models import Indicator, Measurement, Rating, Review


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "priority", "theme", "source", "status"]
    list_filter = ["partnership", "source", "status"]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "period", "value", "source", "current"]
    list_filter = ["source", "current"]


admin.site.register(Review)
admin.site.register(Rating)
