"""The mock's business logic — who is calling, submit, query, cancel, list, uploads — with no
HTTP: ``Backend`` is what the views call, made of the parts that own each operation.

Views pass in what they parsed (the Authorization header, a :class:`~._calls.SubmitRequest`, a
task id, the query) and render the :class:`~._calls.Outcome` that comes back; the outcome also
says what the journal records (the task and its status). Every documented rule is decided in the
part of the backend that owns the operation (``_submit``, ``_tasks``, ``_upload_policy``, the
rate limits in ``_quotas``) or in the module that owns the rule (``_validation``, ``_rules``,
``_lifecycle``, ``_scenarios``); every refusal is raised as an ``ApiError``. State lives in the
``ApiStore``; time comes from the injected clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .._domain._clock import Clock
from .._domain._scenarios import transient_codes
from .._spec._documents import ApiSpec, ErrorInfo
from .._storage._interfaces import ApiStore
from .._storage._uploads import UploadStore
from ._calls import AnswerDelays, Caller, authenticate
from ._quotas import Quotas
from ._settings import Settings
from ._submit import Submissions
from ._tasks import Tasks
from ._upload_policy import UploadPolicies

__all__ = ["Backend"]


class Backend:
    """Every operation of the API for one app (its spec, store, clock and settings): each
    method is its part's (``submissions``, ``tasks``, ``upload_policies``)."""

    def __init__(
        self,
        spec: ApiSpec,
        store: ApiStore,
        clock: Clock,
        settings: Settings,
        uploads: UploadStore,
        *,
        prepare_video: Callable[[tuple[int, int, int]], object] | None = None,
        rate_clock: Callable[[], float] | None = None,
        gateway_errors: Mapping[str, ErrorInfo] | None = None,
        count_poll: Callable[[str], None] | None = None,
    ) -> None:
        """``prepare_video`` is called with (width, height, seconds) of each task that will
        succeed, so its video can be rendered long before anyone downloads it; ``rate_clock``
        replaces the real time rate limits are counted in (tests); ``gateway_errors`` are the
        mock's own codes a ``query_fail=`` scenario may answer besides the API's; ``count_poll``
        counts a query of a task whose answers do not depend on the count (in batches: the
        journal's), else the store counts it at once."""
        self.spec = spec
        self.store = store
        self.clock = clock
        self.settings = settings
        self.uploads = uploads
        quotas = Quotas(spec, store, settings, rate_clock=rate_clock)
        self.limiter = quotas.limiter
        self.submissions = Submissions(
            spec,
            store,
            settings,
            uploads,
            quotas,
            prepare_video=prepare_video,
            transient=transient_codes({**spec.errors, **(gateway_errors or {})}),
        )
        self.tasks = Tasks(spec, store, clock, quotas, settings=settings, count_poll=count_poll)
        self.upload_policies = UploadPolicies(spec, uploads)
        self.submit = self.submissions.submit
        self.parse_scenario = self.submissions.parse_scenario
        self.query = self.tasks.query
        self.cancel = self.tasks.cancel
        self.list = self.tasks.list
        self.status_of = self.tasks.status_of
        self.video_url = self.tasks.video_url
        self.result = self.tasks.result
        self.broken_download = self.tasks.broken_download
        self.upload_policy = self.upload_policies.upload_policy
        self.save_upload = self.upload_policies.save_upload
        self.delay = AnswerDelays(settings.latency).delay

    def authenticate(self, authorization: str | None, request_id: str) -> Caller:
        """The caller of a request (401 InvalidApiKey without a key the settings accept)."""
        return authenticate(authorization, request_id, self.settings.api_keys)
