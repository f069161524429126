import TOMLKit
import X509

extension ConfigurationLoader.Pass {
    /// Keys of `[[listener]]`.
    static let listenerKeys = [
        "name", "address", "certificate_chain", "private_key", "client_certificate", "trust_roots",
        "intermediates", "max_chain_depth", "tls_min_version",
    ]

    /// Every `[[listener]]` that validated; problems for the rest, including two listeners on one
    /// address.
    func readListeners(_ tables: [TOMLTable]) -> [ListenerConfiguration] {
        var names: [String: String] = [:]
        var addresses: [SocketAddressSpec: String] = [:]
        var listeners: [ListenerConfiguration] = []
        for (index, table) in tables.enumerated() {
            let reader = self.elementReader(table, kind: "listener", index: index, knownKeys: Self.listenerKeys)
            guard let listener = self.readListener(reader, names: &names) else { continue }
            if listener.address.port != 0 {
                if let other = addresses[listener.address] {
                    reader.problem("address", "\(listener.address) is already used by \(other)")
                } else {
                    addresses[listener.address] = reader.keyPath
                }
            }
            listeners.append(listener)
        }
        return listeners
    }

    /// One `[[listener]]`.
    ///
    /// Security rules enforced here: `client_certificate` defaults to `required` (fail closed);
    /// `required` and `optional` need `trust_roots` (there is nothing to verify against
    /// otherwise, and NIOSSL would fall back to the system store, which must never authenticate
    /// Open Banking clients); `max_chain_depth` is at least 2 because Open Banking chains are
    /// leaf → issuing CA → root (a depth of 1, nginx's default, breaks them).
    func readListener(
        _ reader: ConfigurationLoader.TableReader,
        names: inout [String: String]
    ) -> ListenerConfiguration? {
        let name = self.readName(reader, seen: &names)
        let address = reader.string("address", required: true).flatMap { text in
            self.parse(text, at: reader.path("address")) { text throws(ConfigurationValueError) in
                try SocketAddressSpec(parsing: text)
            }
        }
        let (chainPath, chain, keyPath) = self.readServerIdentity(reader)

        var clientCertificate: ClientCertificateMode? = .required
        if reader.value("client_certificate") != nil {
            clientCertificate = reader.choice("client_certificate", as: ClientCertificateMode.self)
        }
        let trustRootsValue = reader.value("trust_roots")
        let trustRoots = self.readCertificateFiles(reader, key: "trust_roots")
        if let mode = clientCertificate, mode != .none,
            trustRootsValue == nil || trustRootsValue?.array?.isEmpty == true
        {
            let quotedMode = ConfigurationLoader.quoted(mode.rawValue)
            reader.problem("trust_roots", "at least one PEM file is required when client_certificate is \(quotedMode)")
        }
        let intermediates = self.readCertificateFiles(reader, key: "intermediates")
        let maxChainDepth = reader.integer("max_chain_depth", minimum: 2)
        let tlsMinimumVersion = reader.choice("tls_min_version", as: TLSMinimumVersion.self)
        reader.reportUnknownKeys()

        guard let name, let address, let chainPath, let chain, let keyPath, let clientCertificate else {
            return nil
        }
        return ListenerConfiguration(
            name: name,
            address: address,
            certificateChainPath: chainPath,
            privateKeyPath: keyPath,
            certificateChain: chain,
            clientCertificate: clientCertificate,
            trustRootPaths: trustRoots?.paths ?? [],
            trustRoots: trustRoots?.certificates ?? [],
            intermediatePaths: intermediates?.paths ?? [],
            intermediates: intermediates?.certificates ?? [],
            maxChainDepth: maxChainDepth ?? 4,
            tlsMinimumVersion: tlsMinimumVersion ?? .tls12
        )
    }

    /// `certificate_chain` + `private_key` of a listener (both required), loaded and checked to
    /// belong together; warns when the server certificate is expired or not yet valid.
    private func readServerIdentity(
        _ reader: ConfigurationLoader.TableReader
    ) -> (chainPath: String?, chain: [Certificate]?, keyPath: String?) {
        let chainPath = reader.string("certificate_chain", required: true).map(self.resolve)
        let chain = chainPath.flatMap { self.loadCertificates(atPath: $0, keyPath: reader.path("certificate_chain")) }
        let keyPath = reader.string("private_key", required: true).map(self.resolve)
        let key = keyPath.flatMap { self.loadPrivateKey(atPath: $0, keyPath: reader.path("private_key")) }
        if let leaf = chain?.first {
            self.warnAboutPresentedCertificate(leaf, keyPath: reader.path("certificate_chain"))
            if let key {
                self.checkPrivateKey(key, matches: leaf, keyPath: reader.path("private_key"))
            }
        }
        return (chainPath, chain, keyPath)
    }
}
