// Times Capstan's opening of one passphrase-protected OpenSSH private key file (bcrypt_pbkdf,
// then the cipher, then the key) with the optimizer on. Compiled by Benchmarks/ssh-key.sh
// together with the Signatures module's sources, so the internal key reader is reachable.
// Usage: ssh-key-decrypt KEYFILE RUNS  (passphrase in $KEY_PASSPHRASE); prints milliseconds
// per run, one a line.
import Foundation

@main
enum SSHKeyDecryptBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let runs = Int(arguments[2]),
              let passphrase = ProcessInfo.processInfo.environment["KEY_PASSPHRASE"] else {
            FileHandle.standardError.write(Data("usage: KEY_PASSPHRASE=… ssh-key-decrypt KEYFILE RUNS\n".utf8))
            exit(2)
        }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: arguments[1])))
        let clock = ContinuousClock()
        for _ in 0..<runs {
            let elapsed = try clock.measure {
                _ = try OpenSSHPrivateKey(file: bytes, passphrase: passphrase)
            }
            let (seconds, attoseconds) = elapsed.components
            print(String(format: "%.2f", Double(seconds) * 1000 + Double(attoseconds) / 1e15))
        }
    }
}
