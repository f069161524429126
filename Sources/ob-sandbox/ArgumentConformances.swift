import ArgumentParser
import OpenBankingSandbox

// The library's option enums, parsed from their raw values (`transport`, `legacy`, …). The library
// does not depend on ArgumentParser, so the conformances live here.

extension CertificateKind: ExpressibleByArgument {}

extension SubjectShape: ExpressibleByArgument {}
