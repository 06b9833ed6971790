package com.example.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;

/** A command-line backup helper that trusts its input too much. */
public class BackupTool {
    public static void main(String[] args) throws IOException, InterruptedException {
        String target = args.length > 0 ? args[0] : "/var/backups";
        System.out.print("Directory to archive: ");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String dir = in.readLine();

        // OS command injection: the directory typed by the user reaches a shell.
        String[] command = {"/bin/sh", "-c", "tar czf " + target + "/backup.tgz " + dir};
        Process tar = Runtime.getRuntime().exec(command);
        System.out.println("tar exited with " + tar.waitFor());

        // Safe: a fixed program with the directory as a separate argument, no shell.
        Process du = new ProcessBuilder("du", "-sh", dir).inheritIO().start();
        du.waitFor();
    }
}
