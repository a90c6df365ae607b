import HTTPTypes
import Hummingbird
import Metrics
import Synchronization

/// Counts HTTP requests and their duration by route, method and status, under the names
/// Hummingbird's `MetricsMiddleware` uses (`hb_requests`, `http_server_request_duration_seconds`).
///
/// Ours because Hummingbird's, measured here, cost more than the response cache's whole hit
/// path: it wraps every response body to record after the last byte is written and keeps an
/// active-requests gauge, and a `/health/live` answered 14.2k req/s with it and 22.9k without
/// (docs/BENCHMARKS.md). This one records when the response is handed to the server — the
/// same moment for every answer Emporium gives, whose bodies are complete buffers.
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics = HTTPRequestMetrics()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.record(route: context.endpointPath ?? "Unknown", method: request.method, status: response.status.code, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(route: context.endpointPath ?? "NotFound", method: request.method, status: status, since: started)
            throw error
        }
    }
}

/// The request counters and timers by route, method and status, made once per combination.
/// The router's middleware and the connection handler that answers cached requests before the
/// router (``CachedAnswerHandler``) record into the same series.
final class HTTPRequestMetrics: Sendable {
    private let table = Mutex([Key: Handles]())

    private struct Key: Hashable {
        let route: String
        let method: HTTPRequest.Method
        let status: Int
    }

    private struct Handles {
        let requests: Counter
        let duration: Timer
    }

    func record(route: String, method: HTTPRequest.Method, status: Int, since started: ContinuousClock.Instant) {
        let method = MetricMethods.known.contains(method) ? method : MetricMethods.other
        let key = Key(route: route, method: method, status: status)
        let metrics = table.withLock { handles in
            if let found = handles[key] { return found }
            let dimensions = [("http.route", route), ("http.request.method", method.rawValue), ("http.response.status_code", String(status))]
            let made = Handles(
                requests: Counter(label: "hb.requests", dimensions: dimensions),
                duration: Timer(label: "http.server.request.duration", dimensions: dimensions, preferredDisplayUnit: .seconds))
            handles[key] = made
            return made
        }
        metrics.requests.increment()
        let elapsed = ContinuousClock.now - started
        metrics.duration.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}

/// Methods a client may invent (any token is a method): only the standard ones get a series of
/// their own, so that made-up methods cannot grow the handle table and the metrics without bound.
private enum MetricMethods {
    static let known: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .patch, .options, .connect, .trace]
    static let other = HTTPRequest.Method("OTHER")!
}
