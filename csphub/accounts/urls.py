from django.urls import path

from . import two_factor, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path(
        "reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("reset/done/", views.password_reset_complete, name="password-reset-complete"),
    path("partnership/", views.switch_partnership, name="partnership-switch"),
    path("audit/", views.audit_log, name="audit-log"),
    path("two-factor/", two_factor.two_factor, name="two-factor"),
    path("two-factor/set-up/", two_factor.two_factor_setup, name="two-factor-setup"),
    path(
        "two-factor/recovery-codes/",
        two_factor.recovery_codes,
        name="recovery-codes",
    ),
    path("subject-access/", views.subject_access, name="subject-access"),
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/add/", views.agreement_add, name="agreement-add"),
    path("agreements/<int:pk>/", views.agreement_edit, name="agreement-edit"),
]
