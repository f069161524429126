import Foundation

extension AccessLogLineParser {
    /// The members of an access-log line that the parser records, named by their JSON keys.
    ///
    /// The list is the writer's contract (``AccessLogEvent/line(format:)``): request lines use
    /// ``time`` through ``error``; connection-level lines (failed handshakes and the like) use
    /// ``time``, ``event``, ``downstreamAddress``, ``sni``, ``reason`` and ``listener``. Any other
    /// key is skipped, so a newer gateway adding a field does not make older tools call its lines
    /// malformed.
    public enum Field: Int, CaseIterable, Sendable {
        /// `time`: RFC 3339 UTC timestamp.
        case time
        /// `event`: `request`, `tls_handshake_failed` or another connection event code.
        case event
        /// `request_id`.
        case requestID
        /// `downstream_address`.
        case downstreamAddress
        /// `sni`.
        case sni
        /// `tls_version`.
        case tlsVersion
        /// `tls_resumed`.
        case tlsResumed
        /// `client_verify`.
        case clientVerify
        /// `client_subject`.
        case clientSubject
        /// `client_issuer`.
        case clientIssuer
        /// `client_serial`.
        case clientSerial
        /// `client_thumbprint_s256`.
        case clientThumbprintS256
        /// `org_id`.
        case orgID
        /// `software_id`.
        case softwareID
        /// `method`.
        case method
        /// `host`.
        case host
        /// `path`.
        case path
        /// `protocol`.
        case `protocol`
        /// `route`.
        case route
        /// `upstream`.
        case upstream
        /// `upstream_address`.
        case upstreamAddress
        /// `status`.
        case status
        /// `bytes_received`.
        case bytesReceived
        /// `bytes_sent`.
        case bytesSent
        /// `duration_ms`.
        case durationMS
        /// `upstream_ms`.
        case upstreamMS
        /// `error`.
        case error
        /// `reason` (connection-level events only).
        case reason
        /// `listener` (connection-level events only).
        case listener

        /// The JSON key, e.g. `client_thumbprint_s256`.
        public var key: String {
            Self.keys[self.rawValue]
        }

        /// The keys in contract order, indexed by `rawValue`.
        static let keys = [
            "time", "event", "request_id", "downstream_address", "sni", "tls_version", "tls_resumed",
            "client_verify", "client_subject", "client_issuer", "client_serial", "client_thumbprint_s256",
            "org_id", "software_id", "method", "host", "path", "protocol", "route", "upstream",
            "upstream_address", "status", "bytes_received", "bytes_sent", "duration_ms", "upstream_ms",
            "error", "reason", "listener",
        ]

        /// The field named by `key`, if it is one of the contract's.
        public init?(key: String) {
            guard let index = Self.keys.firstIndex(of: key) else {
                return nil
            }
            self.init(rawValue: index)
        }
    }
}

extension AccessLogLineParser {
    /// The UTF-8 bytes of every ``AccessLogLineParser/Field`` key, for matching keys in place.
    ///
    /// Why a class over raw memory: one table is built once and handed to the scanner by
    /// reference, so the per-key lookup touches neither a lazily initialised global, nor a
    /// dictionary (no hashing per key), nor array bounds checks; keys are compared a word at a
    /// time. `@unchecked Sendable`: the memory is written only in `init` and read-only afterwards.
    final class KeyTable: @unchecked Sendable {
        static let shared = KeyTable()

        /// Every key's bytes, one after the other.
        private let bytes: UnsafeMutableRawPointer
        /// Where each key starts in ``bytes``, plus a final end offset.
        private let offsets: UnsafeMutableBufferPointer<Int>
        private let count: Int

        private init() {
            let keys = AccessLogLineParser.Field.keys
            let total = keys.reduce(0) { $0 + $1.utf8.count }
            self.bytes = UnsafeMutableRawPointer.allocate(byteCount: total, alignment: 8)
            self.offsets = UnsafeMutableBufferPointer<Int>.allocate(capacity: keys.count + 1)
            self.count = keys.count
            var offset = 0
            for (index, key) in keys.enumerated() {
                self.offsets[index] = offset
                for byte in key.utf8 {
                    self.bytes.storeBytes(of: byte, toByteOffset: offset, as: UInt8.self)
                    offset += 1
                }
            }
            self.offsets[keys.count] = offset
        }

        deinit {
            self.bytes.deallocate()
            self.offsets.deallocate()
        }

        /// The field whose key equals `key` (unescaped bytes), trying `expected` first: the writer
        /// emits keys in contract order, so the guess is right for almost every key of a request line.
        func field(_ key: UnsafeBufferPointer<UInt8>, expected: Int) -> Int? {
            guard let keyBase = key.baseAddress else {
                return nil
            }
            let keyPointer = UnsafeRawPointer(keyBase)
            if expected < self.count, self.matches(keyPointer, key.count, index: expected) {
                return expected
            }
            for index in 0..<self.count where index != expected && self.matches(keyPointer, key.count, index: index) {
                return index
            }
            return nil
        }

        /// Compares with overlapping word loads (keys are 3–22 bytes), cheaper than `memcmp`.
        private func matches(_ key: UnsafeRawPointer, _ length: Int, index: Int) -> Bool {
            let start = self.offsets[index]
            guard self.offsets[index + 1] - start == length else {
                return false
            }
            let table = UnsafeRawPointer(self.bytes + start)
            if length >= 8 {
                var offset = 0
                while offset + 8 <= length {
                    guard Self.load(table, offset, UInt64.self) == Self.load(key, offset, UInt64.self) else {
                        return false
                    }
                    offset += 8
                }
                return offset == length
                    || Self.load(table, length - 8, UInt64.self) == Self.load(key, length - 8, UInt64.self)
            }
            if length >= 4 {
                return Self.load(table, 0, UInt32.self) == Self.load(key, 0, UInt32.self)
                    && Self.load(table, length - 4, UInt32.self) == Self.load(key, length - 4, UInt32.self)
            }
            for offset in 0..<length
            where table.load(fromByteOffset: offset, as: UInt8.self) != key.load(fromByteOffset: offset, as: UInt8.self)
            {
                return false
            }
            return true
        }

        @inline(__always)
        private static func load<T: FixedWidthInteger>(_ pointer: UnsafeRawPointer, _ offset: Int, _ type: T.Type) -> T
        {
            pointer.loadUnaligned(fromByteOffset: offset, as: T.self)
        }
    }
}
