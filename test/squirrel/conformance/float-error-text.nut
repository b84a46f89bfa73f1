// A float in an error text prints as C's %.14g of the float32 value, the sign of -0.0 included.
try { local t = {}; print(t[-0.0]); } catch (e) print(e + "\n");
try { print(-0.0 < "a"); } catch (e) print(e + "\n");
try { print("a" < -0.0); } catch (e) print(e + "\n");
try { print(-1.5e-7 < "a"); } catch (e) print(e + "\n");
try { print(1e20 < "a"); } catch (e) print(e + "\n");
try { print({}[0.1]); } catch (e) print(e + "\n");
