import Crypto
import Foundation
import SwiftASN1
import X509

/// What a validated chain proves about the downstream client.
///
/// Built once per connection, after the TLS handshake, from the chain the verifier *validated*
/// (never from the unverified peer certificate: anti-pattern 2 in code-style.md). Everything the
/// request path needs is computed here once (DN renderings, thumbprints, serial) so that each
/// request only copies strings.
public struct ClientIdentity: Sendable {
    /// The validated path: leaf first, trust anchor last.
    public let chain: [Certificate]
    /// DER of the leaf certificate.
    public let leafDER: [UInt8]
    /// DER of every certificate in ``chain``, same order.
    public let chainDER: [[UInt8]]
    /// The leaf's subject.
    public let subject: DistinguishedName
    /// The leaf's issuer.
    public let issuer: DistinguishedName
    /// The leaf's serial number as `openssl x509 -serial` prints it: upper-case hex, no separators,
    /// no sign padding (`01`, `7F`, `80`, `FF00`; never `0080`).
    public let serialNumberHex: String
    /// Start of the leaf's validity period.
    public let notBefore: Date
    /// End of the leaf's validity period.
    public let notAfter: Date
    /// The leaf's subjectAltName dNSName entries.
    public let dnsNames: [String]
    /// The leaf's subjectAltName uniformResourceIdentifier entries.
    public let uris: [String]
    /// The leaf's subjectAltName rfc822Name entries.
    public let emailAddresses: [String]
    /// The leaf's subjectAltName iPAddress entries, as text (IPv6 per RFC 5952).
    public let ipAddresses: [String]
    /// RFC 8705 §3.1 `x5t#S256`: base64url without padding of SHA-256 over the leaf DER. This is
    /// the value access tokens are bound to (`cnf`), so it is computed from the exact DER received.
    public let thumbprintS256: String
    /// SHA-256 of the leaf DER, lower-case hex (Envoy's XFCC `Hash`).
    public let thumbprintS256Hex: String
    /// SHA-1 of the leaf DER, lower-case hex (nginx's `$ssl_client_fingerprint`; not for security
    /// decisions).
    public let thumbprintSHA1Hex: String
    /// The Open Banking organisation id: the subject's `OU` for a legacy OB certificate, its `CN`
    /// for an OBWAC/OBSeal/eIDAS certificate (one whose subject has organizationIdentifier).
    public let orgID: String?
    /// The software statement id: the subject's `CN` of a legacy OB certificate; `nil` otherwise.
    public let softwareID: String?
    /// The subject's organizationIdentifier (2.5.4.97), e.g. `PSDGB-FCA-123456`.
    public let organizationIdentifier: String?

    private let subjectOpenSSL: String
    private let subjectRFC4514: String
    private let issuerOpenSSL: String
    private let issuerRFC4514: String

    /// The leaf certificate.
    public var leaf: Certificate {
        // `init` guarantees a non-empty chain.
        self.chain[0]
    }

    /// The intermediates of the validated path: the chain without the leaf and the trust anchor.
    /// This is what RFC 9440 `Client-Cert-Chain` carries; empty when the chain has at most two
    /// certificates.
    public var intermediatesDER: [[UInt8]] {
        guard self.chainDER.count > 2 else { return [] }
        return Array(self.chainDER[1..<(self.chainDER.count - 1)])
    }

    /// Creates the identity from a chain that has already been validated (leaf first).
    ///
    /// - Throws: ``ClientIdentityError`` when the chain is empty or a certificate cannot be
    ///   serialised to DER.
    public init(validatedChain: [Certificate]) throws {
        var ders: [[UInt8]] = []
        ders.reserveCapacity(validatedChain.count)
        for (index, certificate) in validatedChain.enumerated() {
            var serializer = DER.Serializer()
            do {
                try serializer.serialize(certificate)
            } catch {
                throw ClientIdentityError.invalidCertificate(index: index)
            }
            ders.append(serializer.serializedBytes)
        }
        try self.init(chain: validatedChain, chainDER: ders)
    }

    /// Creates the identity from the DER of a chain that has already been validated (leaf first).
    ///
    /// - Throws: ``ClientIdentityError`` when the chain is empty or a certificate does not parse.
    public init(validatedChainDER: [[UInt8]]) throws {
        var certificates: [Certificate] = []
        certificates.reserveCapacity(validatedChainDER.count)
        for (index, der) in validatedChainDER.enumerated() {
            do {
                certificates.append(try Certificate(derEncoded: der))
            } catch {
                throw ClientIdentityError.invalidCertificate(index: index)
            }
        }
        try self.init(chain: certificates, chainDER: validatedChainDER)
    }

    private init(chain: [Certificate], chainDER: [[UInt8]]) throws {
        guard let leaf = chain.first, let leafDER = chainDER.first else {
            throw ClientIdentityError.emptyChain
        }
        self.chain = chain
        self.chainDER = chainDER
        self.leafDER = leafDER
        self.subject = leaf.subject
        self.issuer = leaf.issuer
        self.serialNumberHex = Self.opensslSerialHex(leaf.serialNumber.bytes)
        self.notBefore = leaf.notValidBefore
        self.notAfter = leaf.notValidAfter

        let names = Self.subjectAlternativeNames(of: leaf)
        self.dnsNames = names.dns
        self.uris = names.uris
        self.emailAddresses = names.emails
        self.ipAddresses = names.ips

        let sha256 = Array(SHA256.hash(data: leafDER))
        self.thumbprintS256 = Base64.encode(sha256, url: true, padding: false)
        self.thumbprintS256Hex = HexEncoding.encode(sha256, uppercase: false)
        self.thumbprintSHA1Hex = HexEncoding.encode(Array(Insecure.SHA1.hash(data: leafDER)), uppercase: false)

        let openBanking = Self.openBankingFields(of: leaf.subject)
        self.orgID = openBanking.orgID
        self.softwareID = openBanking.softwareID
        self.organizationIdentifier = openBanking.organizationIdentifier

        self.subjectOpenSSL = DistinguishedNameFormatter.string(leaf.subject, format: .openssl)
        self.subjectRFC4514 = DistinguishedNameFormatter.string(leaf.subject, format: .rfc4514)
        self.issuerOpenSSL = DistinguishedNameFormatter.string(leaf.issuer, format: .openssl)
        self.issuerRFC4514 = DistinguishedNameFormatter.string(leaf.issuer, format: .rfc4514)
    }

    /// The leaf's subject rendered in `format` (computed once at init).
    public func subjectDN(_ format: DNFormat) -> String {
        switch format {
        case .openssl: return self.subjectOpenSSL
        case .rfc4514: return self.subjectRFC4514
        }
    }

    /// The leaf's issuer rendered in `format` (computed once at init).
    public func issuerDN(_ format: DNFormat) -> String {
        switch format {
        case .openssl: return self.issuerOpenSSL
        case .rfc4514: return self.issuerRFC4514
        }
    }
}
