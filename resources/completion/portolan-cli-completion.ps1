# PowerShell completion for portolan-cli.exe. Dot-source it from $PROFILE:
#   . C:\Tools\portolan-cli-completion.ps1
# (with portolan-cli.exe in the same folder, or on PATH).
#
# The commands, options and service names come from the program itself
# ('portolan-cli __complete ...', made from its command table), so this
# file has no list of its own to keep in step.

$portolanCliExe = Join-Path $PSScriptRoot 'portolan-cli.exe'
if (-not (Test-Path $portolanCliExe)) { $portolanCliExe = 'portolan-cli.exe' }

Register-ArgumentCompleter -Native -CommandName 'portolan-cli', 'portolan-cli.exe' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    # Each answer line of 'portolan-cli __complete' is "word<TAB>...<TAB>description".
    function Get-PortolanCliAnswers([string[]] $Question) {
        & $portolanCliExe __complete @Question 2>$null | ForEach-Object {
            $fields = $_ -split "`t"
            [pscustomobject]@{ Word = $fields[0]; Value = $fields[1]; Text = $fields[-1] }
        }
    }

    # The words before the one being completed (which ends at the cursor).
    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -lt $cursorPosition } |
        ForEach-Object { $_.Extent.Text })
    $commands = @(Get-PortolanCliAnswers 'commands')
    $cmd = $null
    $operands = 0
    if ($words.Count -gt 1) {
        if ($words[1] -eq 'help' -or ($commands.Word -contains $words[1])) { $cmd = $words[1] }
        elseif ($words[1] -like '-*') { $cmd = 'port' }
        else { $cmd = 'port'; $operands = 1 }
    }
    $options = if ($cmd -and $cmd -ne 'help') { @(Get-PortolanCliAnswers 'options', $cmd) } else { @() }
    for ($i = 2; $i -lt $words.Count; $i++) {
        if ($words[$i] -like '-*') { continue }
        $before = $options | Where-Object { $_.Word -eq $words[$i - 1] }
        if ($before -and $before.Value) { continue }
        $operands++
    }
    $prev = if ($words.Count -gt 0) { $words[-1] } else { '' }
    $prevOption = $options | Where-Object { $_.Word -eq $prev }

    $answers = @()
    if (-not $cmd) {
        if ($wordToComplete -like '-*') {
            $answers = @(Get-PortolanCliAnswers 'options', 'port') +
                [pscustomobject]@{ Word = '--version'; Text = 'print the version' }
        } else {
            $answers = $commands + [pscustomobject]@{ Word = 'help'; Text = 'the list of commands' }
            if ($wordToComplete) { $answers += @(Get-PortolanCliAnswers 'services', $wordToComplete) }
        }
    } elseif ($cmd -eq 'help') {
        if ($words.Count -eq 2) { $answers = $commands }
    } elseif ($prevOption -and $prevOption.Value) {
        if ($cmd -eq 'list' -and $prev -eq '--port' -and $wordToComplete) {
            $answers = @(Get-PortolanCliAnswers 'services', $wordToComplete)
        }
    } elseif ($wordToComplete -like '-*') {
        $answers = $options
    } elseif ($operands -eq 0) {
        if ($cmd -eq 'kill') { $answers = @(Get-PortolanCliAnswers 'ports') }
        elseif ($wordToComplete -and ($cmd -eq 'port' -or $cmd -eq 'check' -or $cmd -eq 'watch')) {
            $answers = @(Get-PortolanCliAnswers 'services', $wordToComplete)
        }
    }
    $answers | Where-Object { $_.Word -like "$wordToComplete*" } | ForEach-Object {
        $tip = if ($_.Text) { $_.Text } else { $_.Word }
        [System.Management.Automation.CompletionResult]::new($_.Word, $_.Word, 'ParameterValue', $tip)
    }
}.GetNewClosure()
