from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("", views.index, name="index"),
    path("issues/", views.issue_list, name="issue-list"),
    path("issues/raise/", views.issue_raise, name="issue-raise"),
    path("issues/<int:pk>/", views.issue_detail, name="issue-detail"),
    path("issues/<int:pk>/update/", views.issue_update, name="issue-update"),
    path("issues/<int:pk>/actions/add/", views.action_add, name="action-add"),
    path("issues/<int:pk>/escalate/", views.issue_escalate, name="issue-escalate"),
    path("issues/<int:pk>/task/", views.issue_task, name="issue-task"),
    path("issues/<int:pk>/project/", views.project_start, name="project-start"),
    path("actions/<int:pk>/", views.action_update, name="action-update"),
    path("escalations/<int:pk>/", views.escalation_answer, name="escalation-answer"),
    path("taskings/<int:pk>/report/", views.tasking_report, name="tasking-report"),
    path("my-actions/", views.my_actions, name="my-actions"),
    path(
        "organisations/<int:pk>/",
        views.organisation_actions,
        name="organisation-actions",
    ),
    path("bodies/<slug:slug>/", views.oversight, name="oversight"),
    path("bodies/<slug:slug>/problem-solving/", views.status_list, name="status-list"),
    path("projects/<int:pk>/", views.project_detail, name="project-detail"),
    path(
        "projects/<int:pk>/baseline/", views.project_baseline, name="project-baseline"
    ),
    path("projects/<int:pk>/after/", views.project_after, name="project-after"),
    path("projects/<int:pk>/advance/", views.project_advance, name="project-advance"),
    path("projects/<int:pk>/close/", views.project_close, name="project-close"),
    path("projects/<int:pk>/<slug:section>/", views.project_edit, name="project-edit"),
    path("settings/", views.digest_settings, name="digest-settings"),
    path("issues/<int:pk>/link/", views.issue_link, name="issue-link"),
    path("issues/<int:pk>/unlink/", views.issue_unlink, name="issue-unlink"),
    path("problems/<int:pk>/", views.problem_detail, name="problem-detail"),
    path("problems/<int:pk>/project/", views.problem_project, name="problem-project"),
    path(
        "bodies/<slug:slug>/response-times/",
        views.response_times,
        name="response-times",
    ),
    path(
        "bodies/<slug:slug>/response-times/adopt/",
        views.response_adopt,
        name="response-adopt",
    ),
]
