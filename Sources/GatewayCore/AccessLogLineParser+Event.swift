import Foundation

extension AccessLogLineParser.Line {
    /// The `event` code, e.g. `request` or `tls_handshake_failed`.
    public var eventName: String {
        self.string(.event) ?? ""
    }

    /// The line rebuilt as the ``AccessLogEvent`` the gateway logged, or `nil` when a member the
    /// record requires is missing or has the wrong type (for a request: `request_id`,
    /// `downstream_address`, `client_verify`, `method`, `path`, `protocol`, `status`,
    /// `bytes_received`, `bytes_sent`, `duration_ms`; for other events: `downstream_address`,
    /// `reason`). `referer` and `userAgent` are never in JSON lines, so they stay `nil`.
    public func event() -> AccessLogEvent? {
        let time = Date(timeIntervalSince1970: Double(self.timeMilliseconds) / 1000)
        switch self.kind {
        case .request:
            return self.requestRecord(time: time).map(AccessLogEvent.request)
        case .handshakeFailed:
            guard let address = self.string(.downstreamAddress), let reason = self.string(.reason) else {
                return nil
            }
            return .handshakeFailed(
                HandshakeFailureRecord(
                    time: time,
                    downstreamAddress: address,
                    sni: self.string(.sni),
                    reason: reason,
                    listener: self.string(.listener)
                )
            )
        case .connection:
            guard let address = self.string(.downstreamAddress), let reason = self.string(.reason) else {
                return nil
            }
            return .connection(
                ConnectionEventRecord(
                    time: time,
                    event: self.eventName,
                    downstreamAddress: address,
                    sni: self.string(.sni),
                    reason: reason,
                    listener: self.string(.listener)
                )
            )
        }
    }

    private func requestRecord(time: Date) -> AccessLogRecord? {
        guard let requestID = self.string(.requestID),
            let address = self.string(.downstreamAddress),
            let clientVerify = self.string(.clientVerify),
            let method = self.string(.method),
            let path = self.string(.path),
            let httpProtocol = self.string(.protocol),
            let status = self.integer(.status),
            let bytesReceived = self.integer(.bytesReceived),
            let bytesSent = self.integer(.bytesSent),
            let duration = self.number(.durationMS)
        else {
            return nil
        }
        return AccessLogRecord(
            time: time,
            requestID: requestID,
            downstreamAddress: address,
            sni: self.string(.sni),
            tlsVersion: self.string(.tlsVersion),
            tlsResumed: self.bool(.tlsResumed) ?? false,
            clientVerify: clientVerify,
            identity: AccessLogIdentityFields(
                subject: self.string(.clientSubject),
                issuer: self.string(.clientIssuer),
                serial: self.string(.clientSerial),
                thumbprintS256: self.string(.clientThumbprintS256),
                orgID: self.string(.orgID),
                softwareID: self.string(.softwareID)
            ),
            method: method,
            host: self.string(.host),
            path: path,
            protocol: httpProtocol,
            route: self.string(.route),
            upstream: self.string(.upstream),
            upstreamAddress: self.string(.upstreamAddress),
            status: status,
            bytesReceived: bytesReceived,
            bytesSent: bytesSent,
            durationMS: duration,
            upstreamMS: self.number(.upstreamMS),
            error: self.string(.error)
        )
    }
}
