from core.origin import _origin, origin_from_request


class RequestOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _origin.set(origin_from_request(request))
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)


MACHINE_PATHS = ("/api/", "/open311/")


class DefaultLanguageMiddleware:
    """zh-hans unless the user chose another language (cookie set by Django's set_language view).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language on pages: an officer
    whose browser says en-US still gets the Chinese UI until they switch. The machine interfaces
    (``/api/``, ``/open311/``) have no language switch, so there a caller's ``Accept-Language: en``
    is honoured (no header: Chinese)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        supported = {code for code, _ in settings.LANGUAGES}
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lang not in supported:
            lang = settings.LANGUAGE_CODE
            if request.path.startswith(MACHINE_PATHS):
                lang = translation.get_language_from_request(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
