import Foundation
import GatewayCore
import MTLSIdentity
import OpenBankingSandbox
import Testing
import X509

@Suite("Configuration loader: validated model")
struct ConfigurationModelTests {
    @Test("defaults are applied when optional keys and sections are absent")
    func defaults() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let loaded = try fixtures.load(ConfigurationFixtures.listener() + ConfigurationFixtures.upstreamAndRoute)
        let configuration = loaded.configuration

        let gateway = configuration.gateway
        #expect(gateway.accessLog == .stdout)
        #expect(gateway.accessLogFormat == .json)
        #expect(gateway.drainTimeout == .seconds(10))
        #expect(gateway.maxHeaderSize == 32 * 1024)
        #expect(gateway.handshakeTimeout == .seconds(10))
        #expect(gateway.requestHeaderTimeout == .seconds(10))
        #expect(gateway.idleTimeout == .seconds(60))
        #expect(gateway.maxConnections == 10_000)
        #expect(gateway.trustedDownstream.isEmpty)
        #expect(configuration.admin == nil)

        let listener = try #require(configuration.listeners.first)
        #expect(listener.clientCertificate == .required)
        #expect(listener.maxChainDepth == 4)
        #expect(listener.tlsMinimumVersion == .tls12)
        #expect(listener.intermediatePaths.isEmpty)
        #expect(listener.certificateChain.count == 2)
        #expect(listener.certificateChain.first == fixtures.pki.server.certificate)
        #expect(listener.trustRoots == [fixtures.pki.root.certificate])

        #expect(configuration.identityHeaders.forward == [.rfc9440, .derived])
        #expect(configuration.identityHeaders.dnFormat == .openssl)

        let upstream = try #require(configuration.upstream(named: "as"))
        #expect(upstream.servers == [UpstreamServer(scheme: .http, host: "127.0.0.1", port: 9000)])
        #expect(upstream.connectTimeout == .seconds(5))
        #expect(upstream.responseTimeout == .seconds(60))
        #expect(upstream.tls == nil)
        #expect(upstream.maxIdleConnectionsPerServer == 64)
        #expect(upstream.idleTimeout == .seconds(60))
        #expect(configuration.upstream(named: "nope") == nil)

        let route = try #require(configuration.routes.first)
        #expect(route.host == nil)
        #expect(route.methods == nil)
        #expect(route.clientCertificate == nil)
        #expect(route.maxBodySize == nil)
        #expect(route.responseTimeout == nil)
        #expect(route.preserveHost)
        #expect(route.rewritePrefix == nil)
        #expect(loaded.warnings.isEmpty)
    }

    @Test("every key is read into the model")
    func everyKey() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let contents = """
            [gateway]
            access_log = "logs/access.log"
            access_log_format = "combined"
            drain_timeout = "1m30s"
            max_header_size = "16KiB"
            handshake_timeout = "5s"
            request_header_timeout = "2500ms"
            idle_timeout = "2m"
            max_connections = 100
            trusted_downstream = ["10.0.0.0/8", "::1"]

            [admin]
            address = "[::1]:9901"

            [identity_headers]
            forward = ["xfcc", "nginx", "apache"]
            dn_format = "rfc4514"

            [[listener]]
            name = "mtls"
            address = "*:8443"
            certificate_chain = "pki/server-chain.pem"
            private_key = "pki/server.key"
            client_certificate = "optional"
            trust_roots = ["pki/root-ca.pem", "pki/other-root-ca.pem"]
            intermediates = ["pki/issuing-ca.pem"]
            max_chain_depth = 3
            tls_min_version = "1.3"

            [[upstream]]
            name = "as"
            servers = ["https://as.internal:9443", "https://[::1]"]
            connect_timeout = "250ms"
            response_timeout = "1h"
            max_idle_connections = 0
            idle_timeout = "30s"
            [upstream.tls]
            trust_roots = ["pki/root-ca.pem"]
            certificate_chain = "pki/tpp-transport-chain.pem"
            private_key = "pki/tpp-transport.key"
            server_name = "AS.internal"

            [[route]]
            name = "registration"
            host = "*.Bank.example"
            path_prefix = "/register"
            methods = ["POST", "GET"]
            upstream = "as"
            client_certificate = "required"
            max_body_size = "1MiB"
            response_timeout = "5s"
            preserve_host = false
            rewrite_prefix = "/as/clients.oauth2"
            """
        let configuration = try fixtures.load(contents).configuration
        #expect(configuration.sourcePath == fixtures.path("gateway.conf"))

        let gateway = configuration.gateway
        #expect(gateway.accessLog == .file(path: fixtures.path("logs/access.log")))
        #expect(gateway.accessLogFormat == .combined)
        #expect(gateway.drainTimeout == .seconds(90))
        #expect(gateway.maxHeaderSize == 16_384)
        #expect(gateway.handshakeTimeout == .seconds(5))
        #expect(gateway.requestHeaderTimeout == .milliseconds(2_500))
        #expect(gateway.idleTimeout == .seconds(120))
        #expect(gateway.maxConnections == 100)
        #expect(gateway.trustedDownstream.map(\.description) == ["10.0.0.0/8", "::1/128"])
        #expect(configuration.admin?.address == SocketAddressSpec(host: "::1", port: 9901))
        #expect(configuration.identityHeaders.forward == [.xfcc, .nginx, .apache])
        #expect(configuration.identityHeaders.dnFormat == .rfc4514)

        let listener = try #require(configuration.listeners.first)
        #expect(listener.address == SocketAddressSpec(host: "0.0.0.0", port: 8443))
        #expect(listener.certificateChainPath == fixtures.path("pki/server-chain.pem"))
        #expect(listener.privateKeyPath == fixtures.path("pki/server.key"))
        #expect(listener.clientCertificate == .optional)
        #expect(listener.trustRootPaths == [fixtures.path("pki/root-ca.pem"), fixtures.path("pki/other-root-ca.pem")])
        #expect(listener.trustRoots == [fixtures.pki.root.certificate, fixtures.pki.otherRoot.certificate])
        #expect(listener.intermediatePaths == [fixtures.path("pki/issuing-ca.pem")])
        #expect(listener.intermediates == [fixtures.pki.issuingCA.certificate])
        #expect(listener.maxChainDepth == 3)
        #expect(listener.tlsMinimumVersion == .tls13)

        let upstream = try #require(configuration.upstreams.first)
        #expect(upstream.servers.map(\.description) == ["https://as.internal:9443", "https://[::1]:443"])
        #expect(upstream.connectTimeout == .milliseconds(250))
        #expect(upstream.responseTimeout == .seconds(3_600))
        #expect(upstream.maxIdleConnectionsPerServer == 0)
        #expect(upstream.idleTimeout == .seconds(30))
        let tls = try #require(upstream.tls)
        #expect(tls.trustRootPaths == [fixtures.path("pki/root-ca.pem")])
        #expect(tls.trustRoots == [fixtures.pki.root.certificate])
        #expect(tls.certificateChainPath == fixtures.path("pki/tpp-transport-chain.pem"))
        #expect(tls.privateKeyPath == fixtures.path("pki/tpp-transport.key"))
        #expect(tls.certificateChain.first == fixtures.pki.transport.certificate)
        #expect(tls.serverName == "as.internal")

        let route = try #require(configuration.routes.first)
        #expect(route.host == .wildcardSuffix(".bank.example"))
        #expect(route.pathPrefix == "/register")
        #expect(route.methods == ["POST", "GET"])
        #expect(route.upstream == "as")
        #expect(route.clientCertificate == .required)
        #expect(route.maxBodySize == 1_048_576)
        #expect(route.responseTimeout == .seconds(5))
        #expect(route.preserveHost == false)
        #expect(route.rewritePrefix == "/as/clients.oauth2")
    }

    @Test("relative paths resolve against the configuration file's folder, not the working directory")
    func relativePaths() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let contents = """
            [gateway]
            access_log = "./logs/../logs/access.log"

            [[listener]]
            name = "mtls"
            address = "127.0.0.1:0"
            certificate_chain = "../pki/server-chain.pem"
            private_key = "\(fixtures.path("pki/server.key"))"
            trust_roots = ["../pki/./root-ca.pem"]

            """ + ConfigurationFixtures.upstreamAndRoute
        try fixtures.write(contents, to: "conf/gateway.conf")
        let loaded = try ConfigurationLoader.load(path: fixtures.path("conf/gateway.conf"))
        let configuration = loaded.configuration
        #expect(configuration.sourcePath == fixtures.path("conf/gateway.conf"))
        #expect(configuration.gateway.accessLog == .file(path: fixtures.path("conf/logs/access.log")))
        let listener = try #require(configuration.listeners.first)
        #expect(listener.certificateChainPath == fixtures.path("pki/server-chain.pem"))
        #expect(listener.privateKeyPath == fixtures.path("pki/server.key"))
        #expect(listener.trustRootPaths == [fixtures.path("pki/root-ca.pem")])
    }

    @Test("PKCS#1 RSA keys and PKCS#8 keys after other PEM blocks load and must match")
    func privateKeyFormats() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let subject = try OpenBankingSubject.simple(commonName: "localhost", organization: "Test")
        let rsa = try CertificateIssuer.makeRoot(
            subject: subject,
            key: .rsa(bits: 2048),
            notBefore: Date() - 3_600,
            notAfter: Date() + 86_400
        )
        let pkcs1 = try rsa.privateKey.serializeAsPEM().pemString
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        try fixtures.write(rsa.certificatePEM, to: "rsa/cert.pem")
        try fixtures.write(pkcs1, to: "rsa/key.pem")
        try fixtures.write(rsa.privateKeyPEM, to: "rsa/pkcs8.pem")
        let ecParameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
        try fixtures.write(ecParameters + fixtures.pki.server.privateKeyPEM, to: "ec/key.pem")

        let listeners = """
            [[listener]]
            name = "rsa"
            address = "127.0.0.1:0"
            certificate_chain = "rsa/cert.pem"
            private_key = "rsa/key.pem"
            client_certificate = "none"

            [[listener]]
            name = "rsa-pkcs8"
            address = "127.0.0.1:0"
            certificate_chain = "rsa/cert.pem"
            private_key = "rsa/pkcs8.pem"
            client_certificate = "none"

            [[listener]]
            name = "ec"
            address = "127.0.0.1:0"
            certificate_chain = "pki/server.pem"
            private_key = "ec/key.pem"
            client_certificate = "none"

            """
        let loaded = try fixtures.load(listeners + ConfigurationFixtures.upstreamAndRoute)
        #expect(loaded.configuration.listeners.map(\.name) == ["rsa", "rsa-pkcs8", "ec"])

        let mismatched = listeners.replacingOccurrences(of: "\"rsa/key.pem\"", with: "\"ec/key.pem\"")
        #expect(
            fixtures.problems(mismatched + ConfigurationFixtures.upstreamAndRoute) == [
                #"listener[0] "rsa".private_key: does not match the first certificate of certificate_chain ("CN=localhost,O=Test,C=GB")"#
            ]
        )
    }

    @Test("expiring CA certificates and an expired server certificate produce warnings, not problems")
    func expiryWarnings() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let issuingExpiry = fixtures.pki.issuingCA.certificate.notValidAfter
        let contents = ConfigurationFixtures.listener("intermediates = [\"pki/issuing-ca.pem\"]")
            + ConfigurationFixtures.upstreamAndRoute
        let loaded = try fixtures.load(contents, now: issuingExpiry - 30 * 86_400 - 3_600)
        #expect(loaded.warnings.count == 2)
        #expect(loaded.warnings.first?.hasPrefix(#"listener[0] "mtls".certificate_chain: certificate "CN=localhost"#) == true)
        #expect(loaded.warnings.first?.contains("expired on") == true)
        #expect(
            loaded.warnings.last?.hasPrefix(
                #"listener[0] "mtls".intermediates[0]: CA certificate "CN=MTLSGateway Sandbox Issuing CA,O=OpenBanking,C=GB" expires on"#
            ) == true
        )
        #expect(loaded.warnings.last?.hasSuffix("(in 30 days)") == true)

        let afterExpiry = try fixtures.load(contents, now: issuingExpiry + 86_400)
        #expect(afterExpiry.warnings.last?.contains("expired on") == true)
    }

    @Test("unused upstreams and unsatisfiable routes produce warnings")
    func modelWarnings() throws {
        let fixtures = try ConfigurationFixtures()
        defer { fixtures.remove() }
        let contents = ConfigurationFixtures.listener("client_certificate = \"none\"") + """
            [[upstream]]
            name = "as"
            servers = ["http://127.0.0.1:9000"]

            [[upstream]]
            name = "spare"
            servers = ["http://127.0.0.1:9001"]

            [[route]]
            name = "register"
            path_prefix = "/register"
            upstream = "as"
            client_certificate = "required"
            """
        let loaded = try fixtures.load(contents)
        #expect(
            loaded.warnings == [
                #"upstream[1] "spare": not used by any route"#,
                #"route[0] "register".client_certificate: "required" but no listener requests client certificates"#,
            ]
        )
    }
}
