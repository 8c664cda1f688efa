import ArgumentParser
import CordonCore
import CordonService
import CordonWire
import Foundation
import ZeroMQ

/// `cordon watch`: published events, one readable line each, as they happen.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Subscribe to the events socket and print each event on one readable line.")

    @Option(help: "Events address.") var events = "tcp://127.0.0.1:7002"
    @Option(name: .customLong("topic"), help: "Topic prefixes to subscribe to (repeatable; default all).")
    var topics: [String] = []
    @Flag(help: "Print the raw JSON body instead of a readable line.") var json = false
    @Flag(help: "Colour the severity (default when standard output is a terminal).") var color = false
    @OptionGroup var curve: CurveOptions

    func run() throws {
        let ctx = try ZMQContext()
        let socket = try ctx.socket(.sub)
        try socket.setReceiveTimeout(200)
        try curve.credentials()?.secure(socket)
        try socket.connect(events)
        for t in topics.isEmpty ? [""] : topics { try socket.subscribe(t) }
        let stop = StopFlag()
        stop.installSignalHandlers()
        let useColor = color || isatty(STDOUT_FILENO) != 0
        while !stop.isSet {
            guard let frames = try? socket.receiveMessage(), frames.count == 2 else { continue }
            let topic = String(decoding: frames[0], as: UTF8.self)
            let line: String
            if json {
                line = topic + " " + String(decoding: frames[1], as: UTF8.self)
            } else {
                let body = (try? JSONText.parse(frames[1])) ?? .null
                line = EventLine.format(topic: topic, body: body, color: useColor)
            }
            // Unbuffered, so a person (or a pipe to grep) sees each event as it happens.
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        socket.close()
        ctx.shutdown()
    }
}
