import Foundation
import OpenBankingSandbox

/// One sandbox PKI per test process, written to a temp folder (generated at run time; nothing
/// is committed). P-256 keys keep generation fast; the RSA path is covered by the sandbox's tests
/// and the end-to-end demo.
enum TestPKI {
    static let shared: (pki: SandboxPKI, directory: String) = {
        do {
            let pki = try SandboxPKI.generate(.fast)
            let directory = NSTemporaryDirectory() + "mtls-gateway-tests-\(UUID().uuidString)/pki"
            _ = try pki.write(to: directory)
            return (pki, directory)
        } catch {
            fatalError("cannot generate the test PKI: \(error)")
        }
    }()

    static var directory: String { self.shared.directory }
    static var pki: SandboxPKI { self.shared.pki }

    static func path(_ file: String) -> String { self.directory + "/" + file }
}
