// impnet fleet runs each strategy's program in this one's place.
export default function main() {}
