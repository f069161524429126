import RawStructuredFieldValues

/// The RFC 9440 codec for `Client-Cert` and `Client-Cert-Chain`.
///
/// Shared on purpose: the gateway encodes and the authorization server decodes with the same code,
/// so the two binaries cannot drift (code-style.md). RFC 9440 §2.2: `Client-Cert` is an sf-binary
/// item holding the leaf's DER; §2.3: `Client-Cert-Chain` is an sf-list of sf-binary, one DER
/// certificate each, leaf excluded. Origins must only trust these from the proxy, which removes any
/// inbound copies (§3, and `HeaderPolicy` in GatewayCore).
public enum RFC9440 {
    /// `:<base64 DER>:` (RFC 8941 §3.3.5, padded base64).
    public static func encodeCertificate(_ der: [UInt8]) -> String {
        let item = Item(bareItem: RFC9651BareItem.undecodedByteSequence(Base64.encode(der)), parameters: OrderedMap())
        var serializer = StructuredFieldValueSerializer()
        if let bytes = try? serializer.writeItemFieldValue(item) {
            return String(decoding: bytes, as: UTF8.self)
        }
        // Unreachable: base64 output is always a valid byte sequence. Same bytes, by hand.
        return ":" + Base64.encode(der) + ":"
    }

    /// `:<base64 DER>:, :<base64 DER>:` in order; the empty string for no certificates (then the
    /// field should be omitted).
    public static func encodeCertificateChain(_ ders: [[UInt8]]) -> String {
        let list = ders.map { der in
            ItemOrInnerList.item(
                Item(bareItem: RFC9651BareItem.undecodedByteSequence(Base64.encode(der)), parameters: OrderedMap())
            )
        }
        var serializer = StructuredFieldValueSerializer()
        if let bytes = try? serializer.writeListFieldValue(list) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return ders.map { ":" + Base64.encode($0) + ":" }.joined(separator: ", ")
    }

    /// The DER certificate in a `Client-Cert` field value. Parameters, if any, are ignored.
    ///
    /// - Throws: ``RFC9440Error``.
    public static func decodeCertificate(_ fieldValue: String) throws -> [UInt8] {
        var parser = StructuredFieldValueParser(Array(fieldValue.utf8))
        let item: Item
        do {
            item = try parser.parseItemFieldValue()
        } catch {
            throw RFC9440Error.malformedFieldValue
        }
        return try Self.decodeByteSequence(item)
    }

    /// The DER certificates in a `Client-Cert-Chain` field value, in order (empty for an empty
    /// value).
    ///
    /// - Throws: ``RFC9440Error``.
    public static func decodeCertificateChain(_ fieldValue: String) throws -> [[UInt8]] {
        var parser = StructuredFieldValueParser(Array(fieldValue.utf8))
        let members: [ItemOrInnerList]
        do {
            members = try parser.parseListFieldValue()
        } catch {
            throw RFC9440Error.malformedFieldValue
        }
        return try members.map { member in
            guard case .item(let item) = member else { throw RFC9440Error.notAByteSequence }
            return try Self.decodeByteSequence(item)
        }
    }

    private static func decodeByteSequence(_ item: Item) throws -> [UInt8] {
        guard case .undecodedByteSequence(let base64) = item.rfc9651BareItem else {
            throw RFC9440Error.notAByteSequence
        }
        guard let der = Base64.decode(base64.utf8) else {
            throw RFC9440Error.invalidBase64
        }
        guard !der.isEmpty else {
            throw RFC9440Error.emptyCertificate
        }
        return der
    }
}
