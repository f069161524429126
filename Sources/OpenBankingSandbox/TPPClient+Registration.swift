import NIOHTTP1

extension TPPClient {
    /// `POST /register` with the request JWT (`Content-Type: application/jwt`), over MTLS.
    public func register(requestJWT: String) async throws(TPPClientError) -> TPPResponse {
        try await self.send(
            method: .POST,
            url: self.registrationEndpoint,
            headers: [("Content-Type", "application/jwt"), ("Accept", "application/json")],
            body: Array(requestJWT.utf8)
        )
    }

    /// `POST /token` with `grant_type=client_credentials`.
    ///
    /// With `clientAssertion` nil the client authenticates with `tls_client_auth` (RFC 8705 §2:
    /// `client_id` in the form, the transport certificate proves it); otherwise with
    /// `private_key_jwt` (RFC 7523 §2.2: `client_assertion_type` and `client_assertion`). An empty
    /// `scope` is sent as `scope=` (the AS must accept it, open-banking.md §7); nil omits it.
    public func requestToken(clientID: String, scope: String?, clientAssertion: String? = nil) async throws(TPPClientError)
        -> TPPResponse
    {
        var form: [(String, String)] = [("grant_type", "client_credentials"), ("client_id", clientID)]
        if let scope {
            form.append(("scope", scope))
        }
        if let clientAssertion {
            form.append(("client_assertion_type", ClientAssertion.assertionType))
            form.append(("client_assertion", clientAssertion))
        }
        return try await self.send(
            method: .POST,
            url: self.tokenEndpoint,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Array(Self.formEncoded(form).utf8)
        )
    }

    /// `GET /register/{client_id}` with the bearer token.
    public func readRegistration(clientID: String, accessToken: String) async throws(TPPClientError) -> TPPResponse {
        try await self.send(method: .GET, url: self.managementURL(clientID), headers: Self.bearer(accessToken))
    }

    /// `PUT /register/{client_id}` with a full new request JWT and the bearer token.
    public func updateRegistration(clientID: String, accessToken: String, requestJWT: String) async throws(TPPClientError)
        -> TPPResponse
    {
        try await self.send(
            method: .PUT,
            url: self.managementURL(clientID),
            headers: Self.bearer(accessToken) + [("Content-Type", "application/jwt")],
            body: Array(requestJWT.utf8)
        )
    }

    /// `DELETE /register/{client_id}` with the bearer token.
    public func deleteRegistration(clientID: String, accessToken: String) async throws(TPPClientError) -> TPPResponse {
        try await self.send(method: .DELETE, url: self.managementURL(clientID), headers: Self.bearer(accessToken))
    }

    private func managementURL(_ clientID: String) -> String {
        self.registrationEndpoint + "/" + Self.percentEncoded(clientID)
    }

    private static func bearer(_ token: String) -> [(String, String)] {
        [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
    }

    /// `application/x-www-form-urlencoded` (WHATWG URL §5.2): unreserved characters kept, space
    /// as `%20`, everything else percent-encoded.
    static func formEncoded(_ pairs: [(String, String)]) -> String {
        pairs.map { Self.percentEncoded($0.0) + "=" + Self.percentEncoded($0.1) }.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || scalar == "-" || scalar == "." || scalar == "_" || scalar == "~"
            {
                output.unicodeScalars.append(scalar)
            } else {
                output += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return output
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
