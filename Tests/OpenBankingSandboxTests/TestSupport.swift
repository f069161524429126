import Foundation
import OpenBankingSandbox
@_spi(FixedExpiryValidationTime) import X509

/// Helpers shared by the OpenBankingSandbox tests.
enum TestSupport {
    /// One fast (P-256) PKI per test process, with a known reference time.
    static let fastPKI = Result<SandboxPKI, any Error> { try SandboxPKI.generate(.fast) }

    /// Validates `leaf` with the RFC 5280 policy at a fixed time.
    static func validate(
        _ leaf: Certificate,
        roots: [Certificate],
        intermediates: [Certificate],
        at time: Date
    ) async -> CertificateValidationResult {
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
            RFC5280Policy(fixedExpiryValidationTime: time)
        }
        return await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
    }

    /// The validated chain, or nil if validation failed.
    static func validatedChain(
        _ leaf: Certificate,
        roots: [Certificate],
        intermediates: [Certificate],
        at time: Date
    ) async -> [Certificate]? {
        switch await Self.validate(leaf, roots: roots, intermediates: intermediates, at: time) {
        case .validCertificate(let chain):
            return Array(chain)
        case .couldNotValidate:
            return nil
        }
    }

    /// A fresh, empty temporary directory; the caller removes it.
    static func makeTemporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ob-sandbox-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Runs `openssl` with `arguments`; returns its exit status and standard output.
    static func openssl(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The dotted OIDs of a name's attributes, in DER order.
    static func attributeTypes(_ name: DistinguishedName) -> [String] {
        name.flatMap { rdn in rdn.map { String(describing: $0.type) } }
    }
}
