export { main } from "./main";
export { CliError } from "./cli-error";
