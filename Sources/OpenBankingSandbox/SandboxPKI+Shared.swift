extension SandboxPKI {
    private static let sharedFast = Result<SandboxPKI, any Error> { try SandboxPKI.generate(.fast) }
    private static let sharedRSA2048 = Result<SandboxPKI, any Error> {
        var options = Options()
        options.rootKey = .rsa(bits: 2048)
        return try SandboxPKI.generate(options)
    }

    /// One P-256 PKI (`Options.fast`) per test process, generated on first use.
    ///
    /// Tests that only need "a valid chain" should use this: it costs nothing after the first call.
    /// Its reference time is the moment of that first call, so verify against the current time
    /// (leaves are valid from an hour before it for two years).
    public static func shared() throws -> SandboxPKI {
        try Self.sharedFast.get()
    }

    /// One all-RSA-2048 PKI (the defaults, but a 2048-bit root) per test process, generated on
    /// first use: for tests that need RSA keys (PS256, RSA cipher suites) without paying for
    /// RSA 4096 every time.
    public static func sharedRSA() throws -> SandboxPKI {
        try Self.sharedRSA2048.get()
    }
}
