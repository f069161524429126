import Foundation

extension SandboxPKI {
    /// What to generate. The defaults mirror the real Open Banking hierarchy; `fast` trades realism
    /// for speed in tests.
    public struct Options: Sendable {
        /// The organisation id: OU of legacy certificates, CN of the OBWAC (18 chars in real OB).
        public var orgID: String = "0015800001041REAAY"
        /// The software statement id: CN of legacy certificates (Base62, 22 chars in real OB).
        public var softwareID: String = "2ZVHy1MEB0Ar8ov2lgcsMM"
        /// The OBWAC organizationIdentifier (2.5.4.97).
        public var organizationIdentifier: String = "PSDGB-OB-Unknown0015800001041REAAY"
        /// The TPP's legal name: O of the OBWAC.
        public var legalName: String = "MTLSGateway Sandbox TPP Ltd"
        /// The PSD2 roles in the OBWAC's qcStatements.
        public var psd2Roles: [PSD2QCStatements.Role] = [.accountInformation, .paymentInitiation]
        /// Extra server names (DNS names or IP addresses) for the server certificate; `localhost`,
        /// `127.0.0.1` and `::1` are always included. The first DNS name becomes the CN.
        public var serverNames: [String] = ["localhost"]
        /// The key of the root CA.
        public var rootKey: SandboxKeyType = .rsa(bits: 4096)
        /// The key of the issuing CA and of `otherRoot`.
        public var issuingKey: SandboxKeyType = .rsa(bits: 2048)
        /// The key of every leaf certificate (server, transports, signing, negatives).
        public var leafKey: SandboxKeyType = .rsa(bits: 2048)
        /// The authorization server's token-signing key and the directory's SSA signing key
        /// (RSA for PS256; P-256 gives ES256).
        public var tokenSigningKey: SandboxKeyType = .rsa(bits: 2048)
        /// The reference time: validity windows are computed from it, and tests verify against it.
        public var now: Date = Date()

        /// The defaults: RSA 4096 roots, RSA 2048 for everything else.
        public init() {}

        /// Every key P-256, so generation takes milliseconds; otherwise the defaults. For tests
        /// that do not care about key types (set `leafKey` etc. back to RSA where they do).
        public static var fast: Options {
            var options = Options()
            options.rootKey = .p256
            options.issuingKey = .p256
            options.leafKey = .p256
            options.tokenSigningKey = .p256
            return options
        }

        /// Checks the values that end up in certificates.
        func validate() throws {
            for (name, value) in [
                ("org id", self.orgID), ("software id", self.softwareID),
                ("organizationIdentifier", self.organizationIdentifier), ("legal name", self.legalName),
            ] {
                guard !value.isEmpty else {
                    throw SandboxPKIError.invalidOption(name: name, reason: "it must not be empty")
                }
                guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    throw SandboxPKIError.invalidOption(name: name, reason: "it must not contain control characters")
                }
            }
        }
    }
}
