/// The routes of a configuration, ready to match requests.
///
/// Matching (issue contract): a route applies when its optional host pattern matches the request's
/// host (port ignored) and its `path_prefix` matches segment-wise; among those the longest prefix
/// wins, ties go to the route that comes first in the file. A path that some route serves but not
/// with this method is a 405 rather than a 404, so clients learn what is allowed (RFC 9110 §15.5.6).
public struct RouteTable: Sendable {
    /// The outcome of matching one request.
    public enum Match: Sendable {
        /// A route serves the request; `matchedPrefix` is the part of the path it matched.
        case route(RouteConfiguration, index: Int)
        /// Routes serve this path, but none with this method; `allowed` lists their methods.
        case methodNotAllowed(allowed: [String])
        /// Nothing serves this host and path.
        case notFound
    }

    /// Routes in match order: longest prefix first, file order among equals.
    public let ordered: [(index: Int, route: RouteConfiguration)]

    /// Builds the table from routes in file order.
    public init(routes: [RouteConfiguration]) {
        let indexed = routes.enumerated().map { (index: $0.offset, route: $0.element) }
        self.ordered = indexed.sorted { lhs, rhs in
            let l = lhs.route.pathPrefix.utf8.count
            let r = rhs.route.pathPrefix.utf8.count
            return l != r ? l > r : lhs.index < rhs.index
        }
    }

    /// Finds the route for a request.
    /// - Parameters:
    ///   - host: the request's host, lowercased, without port (nil when absent).
    ///   - path: the request path without the query string.
    ///   - method: the request method as sent.
    public func match(host: String?, path: Substring, method: String) -> Match {
        var allowed: Set<String> = []
        for entry in self.ordered {
            let route = entry.route
            if let pattern = route.host {
                guard let host, pattern.matches(host) else { continue }
            }
            guard Self.prefixMatches(route.pathPrefix, path: path) else { continue }
            if let methods = route.methods, !methods.contains(method) {
                allowed.formUnion(methods)
                continue
            }
            return .route(route, index: entry.index)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed.sorted())
    }

    /// Segment-aware prefix match: `/register` matches `/register`, `/register/`, `/register/abc`
    /// but not `/registerx`. A prefix ending in `/` (including `/` itself) matches everything below it.
    public static func prefixMatches(_ prefix: String, path: Substring) -> Bool {
        let p = prefix.utf8
        let s = path.utf8
        guard s.count >= p.count, s.starts(with: p) else { return false }
        if s.count == p.count || p.last == UInt8(ascii: "/") { return true }
        return s[s.index(s.startIndex, offsetBy: p.count)] == UInt8(ascii: "/")
    }
}
