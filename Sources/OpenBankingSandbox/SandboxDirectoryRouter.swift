import Foundation
import NIOHTTP1
import RegistrationCore

/// Decides the sandbox directory's response to one request: a pure function of the request, a
/// directory snapshot and the time, so every route is tested without sockets.
///
/// Routes (the real keystore's layout, open-banking.md §6):
/// - `GET /keystore/openbanking.jwks`: the directory JWKS;
/// - `GET /{org_id}/{software_id}.jwks`: a software's JWKS (404 when unknown);
/// - `GET /{org_id}/revoked/{software_id}.jwks`: the revoked keys, always empty here;
/// - `POST /ssa`: issues an SSA from a JSON body (``SoftwareStatementRequest`` fields:
///   `org_id`, `software_id`, `redirect_uris`, `software_roles`, optional `org_name`,
///   `software_client_name`, `software_mode`, `org_status`), answering 201 `application/jwt`;
/// - `GET /healthz`: `{"status":"ok"}`.
/// `HEAD` is answered like `GET` without a body. Errors are JSON `{"error", "error_description"}`.
public struct SandboxDirectoryRouter: Sendable {
    /// A rendered response.
    public struct Response: Sendable, Equatable {
        /// The status.
        public var status: HTTPResponseStatus
        /// `Content-Type`.
        public var contentType: String
        /// The body.
        public var body: [UInt8]
        /// `Allow`, for 405 responses.
        public var allow: String?
    }

    /// The largest `POST /ssa` body accepted.
    public static let maximumBodySize = 65_536

    /// The base URL SSAs issued through `POST /ssa` name in `software_jwks_endpoint`
    /// (this server's own address).
    public let jwksBaseURL: String

    /// A router issuing SSAs that point at `jwksBaseURL`.
    public init(jwksBaseURL: String) {
        self.jwksBaseURL = jwksBaseURL
    }

    /// The response to `method` `uri` with `body`, given the directory as it is now.
    public func respond(
        method: HTTPMethod,
        uri: String,
        body: [UInt8],
        directory: SandboxDirectory,
        now: Date = Date()
    ) -> Response {
        let path = String(uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        if path == "/ssa" {
            guard method == .POST else {
                return Self.methodNotAllowed("POST")
            }
            return self.issue(body: body, directory: directory, now: now)
        }
        guard method == .GET || method == .HEAD else {
            return Self.methodNotAllowed("GET, HEAD")
        }
        if path == "/healthz" {
            return Self.json(.ok, ["status": "ok"])
        }
        do {
            if path == SandboxDirectory.directoryJWKSPath {
                return Self.json(.ok, try directory.directoryJWKS())
            }
            let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
            if segments.count == 2, let softwareID = Self.jwksName(segments[1]),
                let jwks = try directory.softwareJWKS(orgID: segments[0], softwareID: softwareID)
            {
                return Self.json(.ok, jwks)
            }
            if segments.count == 3, segments[1] == "revoked", Self.jwksName(segments[2]) != nil {
                return Self.json(.ok, ["keys": []])
            }
        } catch {
            return Self.error(.internalServerError, "server_error", "the key set could not be rendered")
        }
        return Self.error(.notFound, "not_found", "no key set is published at \(path)")
    }

    /// `POST /ssa`.
    private func issue(body: [UInt8], directory: SandboxDirectory, now: Date) -> Response {
        guard body.count <= Self.maximumBodySize else {
            return Self.error(.payloadTooLarge, "invalid_request", "the body is larger than \(Self.maximumBodySize) bytes")
        }
        guard case .object(let members)? = try? JSONValue.parse(body) else {
            return Self.error(.badRequest, "invalid_request", "the body must be a JSON object")
        }
        let request: SoftwareStatementRequest
        do {
            request = try Self.softwareStatementRequest(members, jwksBaseURL: self.jwksBaseURL)
        } catch {
            return Self.error(.badRequest, "invalid_request", "\(error)")
        }
        do {
            let ssa = try directory.issueSoftwareStatement(request, now: now)
            return Response(status: .created, contentType: "application/jwt", body: Array(ssa.utf8))
        } catch let error as SandboxDirectoryError where error.code != "signing_failed" {
            return Self.error(.badRequest, "invalid_request", error.description)
        } catch {
            return Self.error(.internalServerError, "server_error", "the software statement could not be signed")
        }
    }

    /// Reads the `POST /ssa` body. Unknown members are refused, so a typo is not silently dropped.
    static func softwareStatementRequest(
        _ members: [String: JSONValue],
        jwksBaseURL: String
    ) throws -> SoftwareStatementRequest {
        let known: Set<String> = [
            "org_id", "software_id", "redirect_uris", "software_redirect_uris", "software_roles", "roles", "org_name",
            "software_client_name", "software_mode", "org_status",
        ]
        if let unknown = members.keys.sorted().first(where: { !known.contains($0) }) {
            throw SandboxDirectoryError.invalidSoftwareStatementRequest("unknown member '\(unknown)'")
        }
        func string(_ name: String) throws -> String? {
            guard let value = members[name] else { return nil }
            guard let text = value.stringValue else {
                throw SandboxDirectoryError.invalidSoftwareStatementRequest("'\(name)' must be a string")
            }
            return text
        }
        func strings(_ names: String...) throws -> [String] {
            guard let name = names.first(where: { members[$0] != nil }), let value = members[name] else { return [] }
            guard let elements = value.arrayValue, elements.allSatisfy({ $0.stringValue != nil }) else {
                throw SandboxDirectoryError.invalidSoftwareStatementRequest("'\(name)' must be an array of strings")
            }
            return elements.compactMap(\.stringValue)
        }
        guard let orgID = try string("org_id"), let softwareID = try string("software_id") else {
            throw SandboxDirectoryError.invalidSoftwareStatementRequest("'org_id' and 'software_id' are required")
        }
        var request = SoftwareStatementRequest(
            orgID: orgID,
            softwareID: softwareID,
            redirectURIs: try strings("redirect_uris", "software_redirect_uris"),
            roles: try strings("software_roles", "roles"),
            jwksBaseURL: jwksBaseURL
        )
        if let value = try string("org_name") { request.orgName = value }
        if let value = try string("software_client_name") { request.clientName = value }
        if let value = try string("software_mode") { request.mode = value }
        if let value = try string("org_status") { request.orgStatus = value }
        return request
    }

    /// `<software_id>` of a `<software_id>.jwks` segment.
    private static func jwksName(_ segment: String) -> String? {
        guard segment.hasSuffix(".jwks") else { return nil }
        let name = String(segment.dropLast(".jwks".count))
        return SoftwareRecord.isValidID(name) ? name : nil
    }

    private static func json(_ status: HTTPResponseStatus, _ value: JSONValue) -> Response {
        Response(status: status, contentType: "application/json", body: value.serializedBytes())
    }

    private static func error(_ status: HTTPResponseStatus, _ code: String, _ description: String) -> Response {
        Self.json(status, ["error": .string(code), "error_description": .string(description)])
    }

    private static func methodNotAllowed(_ allow: String) -> Response {
        var response = Self.error(.methodNotAllowed, "method_not_allowed", "use \(allow)")
        response.allow = allow
        return response
    }
}
