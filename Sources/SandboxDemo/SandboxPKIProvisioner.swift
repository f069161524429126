import Foundation
import OpenBankingSandbox

/// Loads the sandbox PKI from `<root>/pki`, or generates it there when the folder holds none.
///
/// Why reuse: a TPP's certificates, the SSAs it saved and the clients registered in the database
/// all refer to this PKI; regenerating it on every run would orphan them. A folder with only some
/// of the files is damaged, not empty: it is reported (with the `rm -rf` that fixes it) rather
/// than silently overwritten.
enum SandboxPKIProvisioner {
    /// What happened.
    enum Outcome: Sendable {
        /// Loaded from disk.
        case reused(SandboxPKI)
        /// Generated and written.
        case created(SandboxPKI)

        var pki: SandboxPKI {
            switch self {
            case .reused(let pki), .created(let pki): pki
            }
        }
    }

    /// Loads or generates (RSA keys, like Open Banking: a few seconds), then (re)writes
    /// `directory.jwks` so the standalone tools (`ob-sandbox ssa create --pki …`) agree.
    ///
    /// - Throws: ``SandboxUpError``.
    static func provision(_ layout: SandboxLayout, options: SandboxPKI.Options = .init()) throws(SandboxUpError) -> Outcome {
        let folder = layout.absolute(SandboxLayout.RelativePath.pki)
        let outcome: Outcome
        if SandboxPKI.existingFiles(in: folder).isEmpty {
            let pki: SandboxPKI
            do {
                pki = try SandboxPKI.generate(options)
            } catch {
                throw .componentFailed(component: "Generating the sandbox PKI", reason: "\(error)")
            }
            do {
                try pki.write(to: folder)
            } catch {
                throw .cannotWrite(path: layout.pki, reason: "\(error)")
            }
            outcome = .created(pki)
        } else {
            do {
                outcome = .reused(try SandboxPKI.load(from: folder))
            } catch let error as SandboxPKIError {
                throw .damagedSandbox(root: layout.root, path: layout.pki, reason: Self.reason(error))
            } catch {
                throw .damagedSandbox(root: layout.root, path: layout.pki, reason: "\(error)")
            }
        }
        do {
            try SandboxDirectory(pki: outcome.pki).writeDirectoryJWKS(pkiDirectory: folder)
        } catch {
            throw .damagedSandbox(root: layout.root, path: layout.pki, reason: "\(error)")
        }
        return outcome
    }

    /// The error's sentence without its final period (it is embedded in another sentence).
    private static func reason(_ error: SandboxPKIError) -> String {
        var text = error.description
        while text.hasSuffix(".") {
            text.removeLast()
        }
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
