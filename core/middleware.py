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
