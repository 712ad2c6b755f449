import ArgumentParser
import WirehookCore

@main
struct Wirehook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wirehook",
        abstract: "Durable webhook delivery for VPN panels and the services that listen to them.",
        version: WirehookVersion.current,
        subcommands: [
            ServeCommand.self, SendCommand.self, VerifyCommand.self, ListenCommand.self, SimulateCommand.self,
            DocsCommand.self, WebhooksCommand.self, DeliveriesCommand.self, RecoverCommand.self, EventsCommand.self,
            KeysCommand.self, TailCommand.self, DoctorCommand.self,
        ],
        defaultSubcommand: nil)
}
