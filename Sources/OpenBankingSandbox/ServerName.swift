#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SwiftASN1
import X509

/// Turns user-supplied server names into subjectAltName entries.
///
/// Why IPs are separated: RFC 6125 §6.2.1 and RFC 5280 §4.2.1.6 put IP addresses in iPAddress
/// entries (4 or 16 octets); a client connecting to 127.0.0.1 never matches a dNSName "127.0.0.1".
enum ServerName {
    /// Whether `name` is IPv4 or IPv6 text; if so, its network-order octets.
    static func ipAddressBytes(_ name: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// Whether `name` can be a dNSName: ASCII letters, digits, `-`, `_`, `.`, and a leading `*.`
    /// wildcard label; at most 253 characters (RFC 1035 §2.3.4), no empty labels.
    static func isValidDNSName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else {
            return false
        }
        var labels = name.split(separator: ".", omittingEmptySubsequences: false)
        if labels.first == "*" {
            labels.removeFirst()
        }
        guard !labels.isEmpty else {
            return false
        }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63
                && label.unicodeScalars.allSatisfy { scalar in
                    scalar.isASCII
                        && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                            || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
                }
        }
    }

    /// Splits mixed names (as given to `--san`) into DNS names and IP addresses, keeping order and
    /// dropping duplicates.
    static func partition(_ names: [String]) throws -> (dnsNames: [String], ipAddresses: [String]) {
        var dnsNames: [String] = []
        var ipAddresses: [String] = []
        var seenIPs: Set<[UInt8]> = []
        for name in names {
            if let bytes = Self.ipAddressBytes(name) {
                if seenIPs.insert(bytes).inserted {
                    ipAddresses.append(name)
                }
            } else if Self.isValidDNSName(name) {
                if !dnsNames.contains(where: { $0.lowercased() == name.lowercased() }) {
                    dnsNames.append(name)
                }
            } else {
                throw SandboxPKIError.invalidServerName(name)
            }
        }
        return (dnsNames, ipAddresses)
    }

    /// The subjectAltName entries for the given names.
    ///
    /// - Throws: `SandboxPKIError.invalidServerName` for a bad DNS name or a non-IP in `ipAddresses`.
    static func generalNames(dnsNames: [String], ipAddresses: [String]) throws -> [GeneralName] {
        var names: [GeneralName] = []
        for dnsName in dnsNames {
            guard Self.isValidDNSName(dnsName) else {
                throw SandboxPKIError.invalidServerName(dnsName)
            }
            names.append(.dnsName(dnsName))
        }
        for ipAddress in ipAddresses {
            guard let bytes = Self.ipAddressBytes(ipAddress) else {
                throw SandboxPKIError.invalidServerName(ipAddress)
            }
            names.append(.ipAddress(ASN1OctetString(contentBytes: bytes[...])))
        }
        return names
    }
}
