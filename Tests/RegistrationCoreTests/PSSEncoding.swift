import Crypto
import Foundation
import _CryptoExtras

/// EMSA-PSS encoding (RFC 8017 §9.1.1) with a chosen salt length, signed with the raw RSA private
/// operation (swift-crypto exposes it as the RFC 9474 blind-signing primitive). This lets tests
/// produce PS256 signatures with salt lengths other than 32, as some signers do.
enum PSSEncoding {
    static func sign(_ message: [UInt8], saltLength: Int, key: _RSA.Signing.PrivateKey) throws -> [UInt8] {
        let modulusBits = key.keySizeInBits
        let emBits = modulusBits - 1
        let emLength = (emBits + 7) / 8
        let hashLength = 32
        let messageHash = Array(SHA256.hash(data: message))
        var salt = [UInt8](repeating: 0, count: saltLength)
        for index in salt.indices {
            salt[index] = UInt8.random(in: 0...255)
        }
        let prime = [UInt8](repeating: 0, count: 8) + messageHash + salt
        let h = Array(SHA256.hash(data: prime))
        let padding = [UInt8](repeating: 0, count: emLength - saltLength - hashLength - 2)
        let db = padding + [0x01] + salt
        let mask = Self.mgf1(seed: h, length: emLength - hashLength - 1)
        var maskedDB = zip(db, mask).map { $0 ^ $1 }
        maskedDB[0] &= UInt8(0xFF >> (8 * emLength - emBits))
        var encoded = maskedDB + h + [0xBC]
        if encoded.count < modulusBits / 8 {
            encoded = [0] + encoded
        }
        let raw = try _RSA.BlindSigning.PrivateKey<SHA384>(derRepresentation: key.derRepresentation)
        return Array(try raw.blindSignature(for: encoded).rawRepresentation)
    }

    private static func mgf1(seed: [UInt8], length: Int) -> [UInt8] {
        var output: [UInt8] = []
        var counter: UInt32 = 0
        while output.count < length {
            let c = [
                UInt8(counter >> 24), UInt8(counter >> 16 & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter & 0xFF),
            ]
            output += Array(SHA256.hash(data: seed + c))
            counter += 1
        }
        return Array(output.prefix(length))
    }
}
