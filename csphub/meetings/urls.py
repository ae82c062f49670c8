from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.meeting_add, name="meeting-add"),
    path("mine/", views.mine, name="mine"),
    path("calendar.ics", views.my_calendar, name="my-calendar"),
    path("operations/", views.operation_list, name="operation-list"),
    path("operations/add/", views.operation_add, name="operation-add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/held/", views.held, name="held"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/approve-minutes/", views.approve_minutes, name="approve-minutes"),
    path("<int:pk>/planning/", views.planning_page, name="planning"),
    path("<int:pk>/gather/", views.gather, name="gather"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/items/add/", views.item_add, name="item-add"),
    path("<int:pk>/pack/<str:kind>/", views.pack, name="pack"),
    path("<int:pk>/pack/<str:kind>/pdf/", views.pack_pdf, name="pack-pdf"),
    path("<int:pk>/pack/<str:kind>/build/", views.pack_start, name="pack-start"),
    path("packs/<int:pk>/", views.pack_build, name="pack-build"),
    path("packs/<int:pk>/pdf/", views.pack_build_pdf, name="pack-build-pdf"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/papers/add/", views.paper_add, name="paper-add"),
    path("items/<int:pk>/questions/add/", views.question_add, name="question-add"),
    path("items/<int:pk>/decide/", views.decision_add, name="decision-add"),
    path("papers/<int:pk>/", views.paper, name="paper"),
    path("papers/<int:pk>/edit/", views.paper_edit, name="paper-edit"),
    path("questions/<int:pk>/", views.question, name="question"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("decisions/<int:pk>/actions/add/", views.action_add, name="action-add"),
    path(
        "decisions/<int:pk>/communications/add/",
        views.communication_add,
        name="communication-add",
    ),
    path(
        "decisions/<int:pk>/report-backs/add/",
        views.report_back_owe,
        name="report-back-owe",
    ),
    path(
        "communications/<int:pk>/sent/",
        views.communication_sent,
        name="communication-sent",
    ),
    path("report-backs/<int:pk>/", views.report_back, name="report-back"),
    path("bodies/<slug:slug>/", views.body_meetings, name="body"),
    path("bodies/<slug:slug>/calendar.ics", views.body_calendar, name="body-calendar"),
]
