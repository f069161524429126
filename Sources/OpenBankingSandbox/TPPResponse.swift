import Foundation

/// What the gateway answered: status, headers and body, for printing and for scripts.
public struct TPPResponse: Sendable, Hashable {
    /// The HTTP status code.
    public let status: Int
    /// The reason phrase (`Created`, `Unauthorized`, …).
    public let reason: String
    /// The response headers, in order (names as received).
    public let headers: [(String, String)]
    /// The body.
    public let body: [UInt8]

    /// A response from its parts.
    public init(status: Int, reason: String, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool {
        (200..<300).contains(self.status)
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        self.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The body parsed as a JSON object, if it is one.
    public var jsonObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(self.body))) as? [String: Any]
    }

    /// A string member of the JSON body (`client_id`, `access_token`, …).
    public func string(_ member: String) -> String? {
        self.jsonObject?[member] as? String
    }

    /// The body for a terminal: pretty-printed with sorted keys when JSON, else as text.
    public var renderedBody: String {
        if !self.body.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(self.body)),
            let data = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            )
        {
            return String(decoding: data, as: UTF8.self)
        }
        return String(decoding: self.body, as: UTF8.self)
    }

    /// `HTTP <status> <reason>` then the body.
    public var rendered: String {
        let line = "HTTP \(self.status) \(self.reason)"
        return self.body.isEmpty ? line : line + "\n" + self.renderedBody
    }

    /// Compares status, reason, headers and body.
    public static func == (lhs: TPPResponse, rhs: TPPResponse) -> Bool {
        lhs.status == rhs.status && lhs.reason == rhs.reason && lhs.body == rhs.body
            && lhs.headers.elementsEqual(rhs.headers, by: { $0 == $1 })
    }

    /// Hashes status, reason, headers and body.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.status)
        hasher.combine(self.reason)
        hasher.combine(self.body)
        for (name, value) in self.headers {
            hasher.combine(name)
            hasher.combine(value)
        }
    }
}
