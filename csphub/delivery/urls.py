from django.urls import path

from . import views

app_name = "delivery"

urlpatterns = [
    path("", views.index, name="index"),
    path("leads/", views.leads, name="leads"),
    path("late/", views.late, name="late"),
    path("mine/", views.my_organisation, name="my-organisation"),
    path("organisations/<int:pk>/", views.organisation_plan, name="organisation"),
    path("priorities/<slug:slug>/", views.priority_detail, name="priority-detail"),
    path(
        "priorities/<slug:slug>/objectives/add/",
        views.objective_add,
        name="objective-add",
    ),
    path(
        "priorities/<slug:slug>/requirements/<int:pk>/accept/",
        views.requirement_accept,
        name="requirement-accept",
    ),
    path(
        "objectives/<int:pk>/activities/add/", views.activity_add, name="activity-add"
    ),
    path("activities/<int:pk>/", views.activity_detail, name="activity-detail"),
    path("activities/<int:pk>/change/", views.activity_edit, name="activity-edit"),
    path("activities/<int:pk>/update/", views.update_submit, name="update-submit"),
    path(
        "activities/<int:pk>/milestones/add/",
        views.milestone_add,
        name="milestone-add",
    ),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone-done"),
    path("updates/<int:pk>/escalate/", views.update_escalate, name="update-escalate"),
    path("strategies/<int:pk>/timeline/", views.timeline, name="timeline"),
    path("strategies/<int:pk>/report/", views.report, name="report"),
    path("strategies/<int:pk>/risks/", views.risks, name="risks"),
    path("strategies/<int:pk>/risks/add/", views.risk_add, name="risk-add"),
    path("risks/<int:pk>/", views.risk_edit, name="risk-edit"),
    path("strategies/<int:pk>/gaps/", views.gaps, name="gaps"),
    path("strategies/<int:pk>/gaps/add/", views.gap_add, name="gap-add"),
    path("gaps/<int:pk>/", views.gap_edit, name="gap-edit"),
    path("spend/", views.spend, name="spend"),
    path("spend/import/", views.spend_import, name="spend-import"),
    path("spend/export/", views.spend_export, name="spend-export"),
    path(
        "public/<slug:partnership>/strategies/<int:pk>/",
        views.public_strategy,
        name="public-strategy",
    ),
]
