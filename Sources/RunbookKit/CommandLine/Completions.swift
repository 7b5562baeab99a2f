import RunbookModel
import RunbookRun
import RunbookSupport
/// The scripts of `runbook completions bash|zsh|fish`, made from the command line's own tables.
///
/// Commands, flags and their values come from `Invocation` and `HelpText`, so a new flag is
/// completed without editing a script. Runbook ids and run names change as you work: the
/// scripts ask `runbook [--dir DIR] [--state-dir DIR] __complete runbooks|runs|unfinished-runs`
/// each time, passing on the folders given on the line being completed.
public enum Completions {
    public static func script(for shell: CompletionsCommand.Shell) -> String {
        switch shell {
        case .bash: bash
        case .zsh: zsh
        case .fish: fish
        }
    }

    /// What a command's positional arguments are, for completion.
    enum Argument {
        case runbooks, runs, unfinishedRuns, commands, shells, none

        var list: CompleteCommand.List? {
            switch self {
            case .runbooks: .runbooks
            case .runs: .runs
            case .unfinishedRuns: .unfinishedRuns
            default: nil
            }
        }
    }

    static func configuration(of command: String) -> CommandConfiguration? { CommandTable.named(command)?.configuration }

    static func argument(of command: String) -> Argument {
        switch configuration(of: command)?.operands ?? .none {
        case .runbook, .runbooksOrFiles: .runbooks
        case .run: .runs
        case .unfinishedRun: .unfinishedRuns
        case .command: .commands
        case .shell: .shells
        case .none: .none
        }
    }

    /// `lint` takes any number of paths and ids; the others one argument at most.
    static func takesMany(_ command: String) -> Bool { configuration(of: command)?.operands == .runbooksOrFiles }

    static var commands: [String] { Invocation.commands }

    static func flags(of command: String) -> [String] { (configuration(of: command)?.flags ?? []).map(\.name).sorted() }

    static var globalFlags: [String] { Invocation.globalFlags.keys.sorted() }

    /// Flags that take a value, the global ones first.
    static var valueFlags: [String] {
        let own = Set(CommandTable.all.flatMap { $0.configuration.flags.filter(\.takesValue).map(\.name) })
        return Invocation.globalFlags.filter(\.value).keys.sorted() + own.sorted()
    }

    static var folderFlags: [String] { ["--dir", "--state-dir"] }

    /// The values of `--format` of `show`, and of `report`.
    static var showFormats: [String] { ShowCommand.configuration.flag("--format")?.values ?? [] }
    static var reportFormats: [String] { ReportCommand.configuration.flag("--format")?.values ?? [] }

    static var shells: [String] { CompletionsCommand.Shell.allCases.map(\.rawValue) }

    static func summary(of command: String) -> String { configuration(of: command)?.summary ?? "" }

    // MARK: - bash

    /// The bash script. Every name reaches COMPREPLY as a whole array element read line by line, and
    /// is matched against the word as a plain prefix: no name is ever expanded (`$(…)`, `*`) or split,
    /// whatever a file in the runbooks or state folder is called (`__complete` lists valid names only).
    static var bash: String {
        let freeFlags = valueFlags.filter { !folderFlags.contains($0) && $0 != "--format" }
        let lines = { (list: String) in "while IFS= read -r word; do words+=(\"$word\"); done < <(\"$bin\" \"${folders[@]}\" __complete \(list) 2>/dev/null)" }
        var formatCases = ""
        for command in CommandTable.visible {
            if let values = command.flag("--format")?.values, !values.isEmpty {
                formatCases += "                        \(command.name)) words=(\(values.joined(separator: " "))) ;;\n"
            }
        }
        var flagCases = ""
        for command in commands {
            flagCases += "                        \(command)) words=(\((flags(of: command) + globalFlags + ["--help"]).joined(separator: " "))) ;;\n"
        }
        var argumentCases = ""
        for command in commands {
            let guardMany = takesMany(command) ? "" : "((count == 0)) && "
            switch argument(of: command) {
            case .runbooks where takesMany(command):
                argumentCases += "                        \(command)) \(lines("runbooks"))\n"
                argumentCases += "                            compopt -o filenames 2>/dev/null\n"
                argumentCases += "                            while IFS= read -r word; do COMPREPLY+=(\"$word\"); done < <(compgen -f -- \"$cur\") ;;\n"
            case .runbooks, .runs, .unfinishedRuns:
                let list = argument(of: command).list?.rawValue ?? ""
                argumentCases += "                        \(command)) \(guardMany)\(lines(list)) ;;\n"
            case .commands:
                argumentCases += "                        \(command)) \(guardMany)words=(\(commands.joined(separator: " "))) ;;\n"
            case .shells:
                argumentCases += "                        \(command)) \(guardMany)words=(\(shells.joined(separator: " "))) ;;\n"
            case .none:
                break
            }
        }
        return """
        # bash completion for runbook, written by `runbook completions bash`.
        # Install: scripts/install puts it in $PREFIX/share/bash-completion/completions/runbook;
        # or add to ~/.bashrc: source <(runbook completions bash)
        # Runbook ids and run names are asked of runbook itself: runbook __complete runbooks|runs|unfinished-runs
        # Names are taken line by line and offered as they are: never expanded, split or globbed.
        _runbook() {
            local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
            local bin=${COMP_WORDS[0]} command="" word i
            local -i count=0
            local -a folders=() words=()
            [[ $bin == "~/"* ]] && bin=$HOME/${bin#"~/"}
            for ((i = 1; i < COMP_CWORD; i++)); do
                word=${COMP_WORDS[i]}
                case $word in
                    \(folderFlags.joined(separator: "|"))) folders+=("$word" "${COMP_WORDS[i+1]}"); ((i++)) ;;
                    \((valueFlags.filter { !folderFlags.contains($0) }).joined(separator: "|"))) ((i++)) ;;
                    -*) ;;
                    *) if [[ -z $command ]]; then command=$word; else count+=1; fi ;;
                esac
            done
            COMPREPLY=()
            case $prev in
                \(folderFlags.joined(separator: "|")))
                    while IFS= read -r word; do COMPREPLY+=("$word"); done < <(compgen -d -- "$cur")
                    return ;;
                --format)
                    case $command in
        \(formatCases)            esac ;;
                \(freeFlags.joined(separator: "|"))) return ;;
                *)
                    if [[ $cur == -* ]]; then
                        case $command in
                            "") words=(\((globalFlags + ["--help", "--version"]).joined(separator: " "))) ;;
        \(flagCases)                esac
                    elif [[ -z $command ]]; then
                        words=(\(commands.joined(separator: " ")))
                    else
                        case $command in
        \(argumentCases)                esac
                    fi ;;
            esac
            for word in "${words[@]}"; do
                if [[ $word == "$cur"* ]]; then COMPREPLY+=("$word"); fi
            done
            return 0
        }
        complete -F _runbook runbook

        """
    }

    // MARK: - zsh

    static var zsh: String {
        let freeFlags = valueFlags.filter { !folderFlags.contains($0) && $0 != "--format" }
        var flagCases = ""
        for command in commands {
            flagCases += "            (\(command)) flags=(\((flags(of: command) + globalFlags + ["--help"]).joined(separator: " "))) ;;\n"
        }
        var argumentCases = ""
        for command in commands {
            let guardMany = takesMany(command) ? "" : "((count == 0)) && "
            switch argument(of: command) {
            case .runbooks where takesMany(command):
                argumentCases += "            (\(command)) compadd -- ${(f)\"$($bin $folders __complete runbooks 2>/dev/null)\"}; _files -g '*.md' ;;\n"
            case .runbooks, .runs, .unfinishedRuns:
                let list = argument(of: command).list?.rawValue ?? ""
                argumentCases += "            (\(command)) \(guardMany)compadd -- ${(f)\"$($bin $folders __complete \(list) 2>/dev/null)\"} ;;\n"
            case .commands:
                argumentCases += "            (\(command)) \(guardMany)compadd -- \(commands.joined(separator: " ")) ;;\n"
            case .shells:
                argumentCases += "            (\(command)) \(guardMany)compadd -- \(shells.joined(separator: " ")) ;;\n"
            case .none:
                break
            }
        }
        let described = commands.map { "'\($0):\(summary(of: $0).replacingEvery("'", with: "'\\''"))'" }
            .joined(separator: "\n                ")
        return """
        #compdef runbook
        # zsh completion for runbook, written by `runbook completions zsh`.
        # Install: scripts/install puts it in $PREFIX/share/zsh/site-functions/_runbook (a folder of $fpath);
        # or add to ~/.zshrc, after compinit: source <(runbook completions zsh)
        # Runbook ids and run names are asked of runbook itself: runbook __complete runbooks|runs|unfinished-runs
        _runbook() {
            local bin=${words[1]} command="" word cur=${words[CURRENT]} prev=${words[CURRENT-1]}
            integer i count=0
            local -a folders flags commands
            [[ $bin == "~/"* ]] && bin=$HOME/${bin#"~/"}
            for ((i = 2; i < CURRENT; i++)); do
                word=${words[i]}
                case $word in
                    (\(folderFlags.joined(separator: "|"))) folders+=($word ${words[i+1]}); ((i++)) ;;
                    (\((valueFlags.filter { !folderFlags.contains($0) }).joined(separator: "|"))) ((i++)) ;;
                    (-*) ;;
                    (*) if [[ -z $command ]]; then command=$word; else ((count++)); fi ;;
                esac
            done
            case $prev in
                (\(folderFlags.joined(separator: "|"))) _files -/; return ;;
                (--format) if [[ $command == show ]]; then compadd -- \(showFormats.joined(separator: " ")); else compadd -- \(reportFormats.joined(separator: " ")); fi; return ;;
                (\(freeFlags.joined(separator: "|"))) return ;;
            esac
            if [[ $cur == -* ]]; then
                case $command in
                    ("") flags=(\((globalFlags + ["--help", "--version"]).joined(separator: " "))) ;;
        \(flagCases)        esac
                compadd -- $flags
            elif [[ -z $command ]]; then
                commands=(
                        \(described)
                )
                _describe command commands
            else
                case $command in
        \(argumentCases)        esac
            fi
        }
        if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then
            _runbook "$@"
        else
            compdef _runbook runbook
        fi

        """
    }

    // MARK: - fish

    static var fish: String {
        var lines = [
            "# fish completion for runbook, written by `runbook completions fish`.",
            "# Install: scripts/install puts it in $PREFIX/share/fish/vendor_completions.d/runbook.fish;",
            "# or: runbook completions fish > ~/.config/fish/completions/runbook.fish",
            "# Runbook ids and run names are asked of runbook itself: runbook __complete runbooks|runs|unfinished-runs",
            "function __runbook_list --description 'runbook ids or run names, from runbook itself'",
            "    set -l tokens (commandline -opc)",
            "    set -l folders",
            "    for i in (seq 2 (count $tokens))",
            "        if contains -- $tokens[$i] \(folderFlags.joined(separator: " ")); and test $i -lt (count $tokens)",
            "            set folders $folders $tokens[$i] $tokens[(math $i + 1)]",
            "        end",
            "    end",
            "    $tokens[1] $folders __complete $argv 2>/dev/null",
            "end",
            "",
            "complete -c runbook -f",
        ]
        for command in commands {
            lines.append("complete -c runbook -n __fish_use_subcommand -a \(command) -d \(fishQuoted(summary(of: command)))")
        }
        lines.append("complete -c runbook -l dir -x -a '(__fish_complete_directories)' -d 'runbooks folder'")
        lines.append("complete -c runbook -l state-dir -x -a '(__fish_complete_directories)' -d 'where runs are kept'")
        lines.append("complete -c runbook -l no-color -d 'no colours'")
        lines.append("complete -c runbook -l help -d 'help'")
        lines.append("complete -c runbook -n __fish_use_subcommand -l version -d 'the version'")
        for command in commands {
            for flag in flags(of: command) {
                let name = String(flag.dropFirst(2))
                let takesValue = configuration(of: command)?.flag(flag)?.takesValue == true
                var line = "complete -c runbook -n '__fish_seen_subcommand_from \(command)' -l \(name)"
                if flag == "--format" {
                    line += " -x -a '\((configuration(of: command)?.flag(flag)?.values ?? []).joined(separator: " "))'"
                } else if takesValue {
                    line += " -x"
                }
                lines.append(line)
            }
        }
        for command in commands {
            let condition = "-n '__fish_seen_subcommand_from \(command)'"
            switch argument(of: command) {
            case .runbooks where takesMany(command):
                lines.append("complete -c runbook \(condition) -F -a '(__runbook_list runbooks)'")
            case .runbooks, .runs, .unfinishedRuns:
                let list = argument(of: command).list?.rawValue ?? ""
                lines.append("complete -c runbook \(condition) -a '(__runbook_list \(list))'")
            case .commands:
                lines.append("complete -c runbook \(condition) -a '\(commands.joined(separator: " "))'")
            case .shells:
                lines.append("complete -c runbook \(condition) -a '\(shells.joined(separator: " "))'")
            case .none:
                break
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func fishQuoted(_ text: String) -> String {
        "'" + text.replacingEvery("\\", with: "\\\\").replacingEvery("'", with: "\\'") + "'"
    }
}
