import os
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from jwt.algorithms import ECAlgorithm
from werkzeug.security import check_password_hash, generate_password_hash

# ES256: the private key signs, the public key (published below) verifies.
# A new key pair every start, so old tokens stop working after a restart: fine for class.
PRIVATE_KEY = ec.generate_private_key(ec.SECP256R1())
KEY_ID = "key-1"

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.getenv("DATABASE_URL")
app.config["JWT_ALGORITHM"] = "ES256"
app.config["JWT_PRIVATE_KEY"] = PRIVATE_KEY
app.config["JWT_PUBLIC_KEY"] = PRIVATE_KEY.public_key()
app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(minutes=20)
db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.getenv("FRONTEND_URL")])


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), unique=True, nullable=False)
    password_hash = db.Column(db.String(256), nullable=False)


with app.app_context():
    db.create_all()


@jwt.invalid_token_loader
def invalid_token(reason):
    return jsonify(msg=reason), 401


@jwt.unauthorized_loader
def missing_token(reason):
    return jsonify(msg=reason), 401


@app.route("/api/jwks.json")
def jwks():
    key = ECAlgorithm.to_jwk(PRIVATE_KEY.public_key(), as_dict=True)
    key.update(kid=KEY_ID, use="sig", alg="ES256")
    return jsonify(keys=[key])


@app.route("/api/signup", methods=["POST"])
def signup():
    body = request.get_json(silent=True) or {}
    if not body.get("username") or not body.get("password"):
        return jsonify(msg="username and password required"), 400
    if User.query.filter_by(username=body["username"]).first() is not None:
        return jsonify(msg="username taken"), 409
    user = User(username=body["username"], password_hash=generate_password_hash(body["password"]))
    db.session.add(user)
    db.session.commit()
    return jsonify(msg="created"), 201


@app.route("/api/token", methods=["POST"])
def create_token():
    body = request.get_json(silent=True) or {}
    user = User.query.filter_by(username=body.get("username")).first()
    if user is None or not check_password_hash(user.password_hash, body.get("password", "")):
        return jsonify(msg="Wrong username or password"), 401
    # kid says which key signed it, jku where the public keys are
    headers = {"kid": KEY_ID, "jku": request.host_url + "api/jwks.json"}
    token = create_access_token(identity=str(user.id), additional_headers=headers)
    return jsonify(token=token), 200


@app.route("/api/protected", methods=["GET"])
@jwt_required()
def protected():
    user = db.session.get(User, int(get_jwt_identity()))
    return jsonify(id=user.id, username=user.username), 200
